package fid.clinitorder;
import java.util.*;
public class Zeta {
    static final List<String> SEEN = new ArrayList<>();
    public static String fmt(String s) { SEEN.add(s); return "[" + s + "] #" + SEEN.size(); }
}
