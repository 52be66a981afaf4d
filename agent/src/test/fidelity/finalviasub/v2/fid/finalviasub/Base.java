package fid.finalviasub;
public class Base { public String name() { return "base"; } public final String tag() { return "tag:" + name(); } }
