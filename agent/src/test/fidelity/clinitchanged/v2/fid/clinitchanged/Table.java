package fid.clinitchanged;
import java.util.*;
public class Table { static final List<String> NAMES = new ArrayList<>(List.of("a", "b")); public static String names() { return NAMES.toString(); } }
