package fid.staticbody;
public class Maths { public static int twice(int x) { return 2 * x + 1; } }
