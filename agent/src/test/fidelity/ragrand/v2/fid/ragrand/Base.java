package fid.ragrand;
public abstract class Base extends GP { public String toString() { return "b"; } }
