package fid.ctoradded;
public class P { final int x; public P(int x) { this.x = x; } public static P of() { return new P(1); } public int x() { return x; } }
