package fid.assertadded;
public class Check { public static int half(int x) { return x / 2; } }
