package fid.raconcrete;
public abstract class Base { int bound() { return 5; } public int size() { return bound(); } }
