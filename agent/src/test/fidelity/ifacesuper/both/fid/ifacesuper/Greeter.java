package fid.ifacesuper;
public interface Greeter { default String greet() { return "greeter"; } }
