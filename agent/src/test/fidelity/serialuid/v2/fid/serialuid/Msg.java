package fid.serialuid;
public class Msg implements java.io.Serializable {
    private static final long serialVersionUID = 2L;
    String text = "m";
    public String text() { return "[" + text + "]"; }
}
