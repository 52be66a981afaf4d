package fid.superprivate;
public class Base { public String show() { return "v2:" + tag(); } private String tag() { return "base"; } }
