package fid.raself;
public abstract class Base { public int size() { return ((I) this).bound(); } }
