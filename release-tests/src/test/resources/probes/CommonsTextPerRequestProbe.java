package probes;

import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;

import java.util.Map;

/** P1 with an interpolator built per request (with the request's own variables), as templating code does. */
public class CommonsTextPerRequestProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        return new StringSubstitutor(StringLookupFactory.INSTANCE.interpolatorStringLookup(Map.of("user", "guest")))
            .replace(in);
    }
}
