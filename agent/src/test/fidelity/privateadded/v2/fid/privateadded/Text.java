package fid.privateadded;
public class Text {
    public String shout(String s) { return upper(s) + "!"; }
    private String upper(String s) { return s.toUpperCase(); }
}
