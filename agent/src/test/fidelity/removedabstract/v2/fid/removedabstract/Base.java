package fid.removedabstract;
public abstract class Base { abstract int max(); public int size() { return max(); } }
