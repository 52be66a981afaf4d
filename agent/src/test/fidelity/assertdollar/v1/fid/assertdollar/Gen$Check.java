package fid.assertdollar;
public class Gen$Check { public static int half(int x) {  return (x >> 1) + ("v1".equals("v2") ? 100 : 0); } }
