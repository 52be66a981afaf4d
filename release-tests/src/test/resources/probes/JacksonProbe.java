package probes;

import com.fasterxml.jackson.databind.ObjectMapper;

/** P7, CVE-2020-36518: untyped arrays nested without limit, recursively. */
public class JacksonProbe implements java.util.function.Function<String, String> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String apply(String in) {
        try {
            Object o = MAPPER.readValue(in, Object.class);
            return "parsed " + (o == null ? "null" : o.getClass().getSimpleName());
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }
}
