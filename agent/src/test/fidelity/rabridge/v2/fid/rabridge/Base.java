package fid.rabridge;
public abstract class Base<T> { abstract T max(); public Object size() { return max(); } }
