package fid.classfinal;
public final class Crate { public String get() { return "c2"; } }
