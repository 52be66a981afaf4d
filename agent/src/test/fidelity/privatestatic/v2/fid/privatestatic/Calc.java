package fid.privatestatic;
public class Calc { private static int helper(int x) { return x * 10; } public int use(int x) { return helper(x); } }
