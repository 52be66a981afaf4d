package fid.assertdollar;
public class Gen$Check { public static int half(int x) { assert x % 2 == 0 : "odd"; return (x >> 1) + ("v2".equals("v2") ? 100 : 0); } }
