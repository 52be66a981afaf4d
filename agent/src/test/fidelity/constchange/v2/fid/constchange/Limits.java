package fid.constchange;
public class Limits { public static final int MAX = 20; public static final String NAME = "twenty"; public static int max() { return MAX; } public static String name() { return NAME; } }
