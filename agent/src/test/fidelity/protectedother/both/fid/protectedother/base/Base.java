package fid.protectedother.base;
public class Base { protected String tag = "t"; protected String name() { return "base"; } protected static String stat() { return "S"; } }
