package fid.nestprivate;
public class Outer {
    private static int secret = 7;
    private int mine = 3;
    public static class Peek { public String peek(Outer o) { o.mine++; return "peek " + secret + " " + o.mine; } }
}
