package fid.trycatch;
public class Parse { public static int parse(String s) { return Integer.parseInt(s); } }
