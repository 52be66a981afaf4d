package fid.supercall;
public class Base { public String describe() { return "base"; } }
