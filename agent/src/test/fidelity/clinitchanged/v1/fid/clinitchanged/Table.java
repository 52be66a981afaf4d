package fid.clinitchanged;
import java.util.*;
public class Table { static final List<String> NAMES = new ArrayList<>(List.of("a")); public static String names() { return NAMES.toString(); } }
