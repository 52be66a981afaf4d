package fid.raregp;
public abstract class GP { int bound() { return 3; } public int size() { return bound(); } }
