package fid.finaldropped;
public class Limit { private int max = 5; public void raise() { max++; } public int max() { return max; } }
