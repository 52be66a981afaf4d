package fid.fieldviasub;
public class Kid extends Base { public String go() { return "v1"; } }
