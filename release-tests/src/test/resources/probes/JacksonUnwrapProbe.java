package probes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** P8, CVE-2022-42003: with UNWRAP_SINGLE_VALUE_ARRAYS, nested arrays unwrap recursively without limit. */
public class JacksonUnwrapProbe implements java.util.function.Function<String, String> {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS);

    @Override
    public String apply(String in) {
        try {
            return "parsed " + MAPPER.readValue(in, int.class);
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }
}
