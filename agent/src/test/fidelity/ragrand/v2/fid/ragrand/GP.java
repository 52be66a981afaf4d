package fid.ragrand;
public abstract class GP { abstract int max(); public int size() { return max(); } }
