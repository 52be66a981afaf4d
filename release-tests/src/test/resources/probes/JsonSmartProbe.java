package probes;

import net.minidev.json.parser.JSONParser;

/** P9, CVE-2023-1370: json-smart parses nesting of any depth, recursively. */
public class JsonSmartProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        try {
            return String.valueOf(new JSONParser(JSONParser.MODE_PERMISSIVE).parse(in));
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }
}
