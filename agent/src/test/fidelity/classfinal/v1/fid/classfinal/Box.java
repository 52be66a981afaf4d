package fid.classfinal;
public final class Box { public String get() { return "b1"; } }
