package fid.privateremoved;
public class Fmt {
    public String fmt(int x) { return pad(x); }
    private String pad(int x) { return "00" + x; }
}
