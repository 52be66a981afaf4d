package fid.ifacesuper;
public class Impl implements Greeter { public String greet() { return "impl-v1"; } }
