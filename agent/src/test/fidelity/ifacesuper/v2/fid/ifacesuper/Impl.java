package fid.ifacesuper;
public class Impl implements Greeter { public String greet() { return "impl-v2+" + Greeter.super.greet(); } }
