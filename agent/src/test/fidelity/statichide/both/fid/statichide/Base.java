package fid.statichide;
public class Base { public static String name() { return "base"; } }
