package fid.clinitadded;
import java.util.*;
public class Registry {
    static final Map<String, String> M = new HashMap<>();
    static { M.put("a", "1"); }
    static final Set<String> BLOCKED = Set.of("x", "y");
    static int counter = 5;
    static final int COUNT;
    static { COUNT = M.size() * 10; M.put("b", "2"); }
    static final String TAG = makeTag();
    private static String makeTag() { return "tag-" + BLOCKED.size(); }
    public static String get(String k) { return BLOCKED.contains(k) ? "blocked" : M.get(k); }
    public static String blocked(String k) { return String.valueOf(BLOCKED.contains(k)); }
    public static int counter() { return ++counter; }
    public static int count() { return COUNT; }
    public static String tag() { return TAG; }
}
