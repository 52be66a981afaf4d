package fid.sealedpermits;
public sealed interface Shape permits Circle, Square { }
