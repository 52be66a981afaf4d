package fid.classfinal;
public class Crate { public String get() { return "c1"; } }
