package fid.rabridge;
public abstract class Base<T> { abstract T bound(); public Object size() { return bound(); } }
