package fid.staticviasub;
public class Kid extends Base { public String go() { return "kid:" + helper(); } }
