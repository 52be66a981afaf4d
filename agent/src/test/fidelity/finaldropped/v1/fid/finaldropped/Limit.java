package fid.finaldropped;
public class Limit { private final int max = 5; public void raise() { } public int max() { return max; } }
