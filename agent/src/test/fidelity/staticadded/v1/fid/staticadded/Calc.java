package fid.staticadded;
public class Calc { public static int area(int w, int h) { return w * h; } }
