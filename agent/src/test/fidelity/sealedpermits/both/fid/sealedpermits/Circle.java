package fid.sealedpermits;
public final class Circle implements Shape { public int r = 1; }
