package fid.ctoradded;
public class P extends Base { final int x; public P(int x) { super("p"); this.x = x; } public static P of() { return new P(1); } public static String two() { return "none"; } public static String three() { return "none"; } public int x() { return x; } public static String maker() { return "none"; } }
