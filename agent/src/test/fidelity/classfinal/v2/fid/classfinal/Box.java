package fid.classfinal;
public class Box { public String get() { return "b2"; } }
