package fid.constchange;
public class Limits { public static final int MAX = 10; public static final String NAME = "ten"; public static int max() { return MAX; } public static String name() { return NAME; } }
