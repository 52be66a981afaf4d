package fid.finalviasub;
public class Base { public String name() { return "base"; } }
