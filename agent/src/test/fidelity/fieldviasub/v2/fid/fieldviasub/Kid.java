package fid.fieldviasub;
public class Kid extends Base { public String go() { hits++; return "hits=" + hits; } }
