package fid.finalviasub;
public class ASub extends Base { public String go() { return "go1"; } }
