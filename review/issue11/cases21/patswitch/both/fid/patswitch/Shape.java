package fid.patswitch;
public sealed interface Shape permits Circle, Square {}
