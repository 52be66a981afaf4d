package fid.serialhooks;
import java.io.*;
public class Token implements Serializable {
    private static final long serialVersionUID = 1L;
    String value;
    public Token(String v) { value = v; }
    public String value() { return value; }
    private void writeObject(ObjectOutputStream out) throws IOException { value = "w:" + value; out.defaultWriteObject(); }
    private Object readResolve() { return new Token(value + ":resolved"); }
}
