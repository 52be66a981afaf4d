package fid.ramiddle;
public abstract class GP { abstract int bound(); public int size() { return bound(); } }
