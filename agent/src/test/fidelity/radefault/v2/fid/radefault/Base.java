package fid.radefault;
public abstract class Base implements I { }
