package fid.removedoverride;
public class Base { public String greet() { return "base"; } }
