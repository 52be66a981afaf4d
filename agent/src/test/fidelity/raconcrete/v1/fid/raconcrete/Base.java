package fid.raconcrete;
public abstract class Base { abstract int bound(); public int size() { return bound(); } }
