package fid.staticviasub;
public class Base { public String privRef() { return "v1"; } }
