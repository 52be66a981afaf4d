package fid.clinitadded;
import java.util.*;
public class Registry {
    static final Map<String, String> M = new HashMap<>();
    static { M.put("a", "1"); }
    public static String get(String k) { return M.get(k); }
    public static String blocked(String k) { return "no"; }
    public static int counter() { return -1; }
    public static int count() { return -1; }
    public static String tag() { return "none"; }
}
