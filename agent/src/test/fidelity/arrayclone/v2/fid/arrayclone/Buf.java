package fid.arrayclone;
public class Buf {
    private final int[] data = {1, 2, 3};
    public int[] copy() { return data.clone(); }
    public int[] tweaked() { int[] c = data.clone(); c[0] = 8; return c; }
    public String name() { return "v2"; }
}
