package fid.removedoverride;
public class Sub extends Base { public String greet() { return "sub"; } public String other() { return "o1"; } }
