package fid.staticbody;
public class Maths { public static int twice(int x) { return x + x; } }
