package fid.ctoradded;
public class P { final int x; public P(int x) { this.x = x; } P() { this(2); } public static P of() { return new P(); } public int x() { return x; } }
