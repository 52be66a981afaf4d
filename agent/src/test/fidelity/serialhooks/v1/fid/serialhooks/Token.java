package fid.serialhooks;
public class Token implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    String value;
    public Token(String v) { value = v; }
    public String value() { return value; }
}
