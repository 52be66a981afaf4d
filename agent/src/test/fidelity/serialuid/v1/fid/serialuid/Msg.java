package fid.serialuid;
public class Msg implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    String text = "m";
    public String text() { return text; }
}
