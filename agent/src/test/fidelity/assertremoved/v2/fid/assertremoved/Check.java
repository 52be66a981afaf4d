package fid.assertremoved;
public class Check { public static int half(int x) { return (x >> 1) + 100; } }
