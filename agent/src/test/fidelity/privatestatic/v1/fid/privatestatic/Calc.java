package fid.privatestatic;
public class Calc { private int helper(int x) { return x + 1; } public int use(int x) { return helper(x); } }
