package fid.radefault;
public abstract class Base implements I { public abstract int bound(); }
