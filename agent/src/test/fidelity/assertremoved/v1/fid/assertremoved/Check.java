package fid.assertremoved;
public class Check { public static int half(int x) { assert x % 2 == 0 : "odd"; return x >> 1; } }
