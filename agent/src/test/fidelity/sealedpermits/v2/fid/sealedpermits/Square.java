package fid.sealedpermits;
public final class Square implements Shape { public int side = 2; }
