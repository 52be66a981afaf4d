package fid.ragrand;
public abstract class GP { abstract int bound(); public int size() { return bound(); } }
