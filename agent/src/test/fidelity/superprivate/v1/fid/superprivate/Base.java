package fid.superprivate;
public class Base { public String show() { return "v1"; } }
