package fid.removedoverride;
public class Sub extends Base { public String other() { return "o2"; } }
