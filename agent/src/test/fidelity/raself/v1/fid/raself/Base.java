package fid.raself;
public abstract class Base { public abstract int bound(); public int size() { return bound(); } }
