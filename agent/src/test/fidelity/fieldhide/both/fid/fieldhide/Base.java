package fid.fieldhide;
public class Base { public static String label = "base"; }
