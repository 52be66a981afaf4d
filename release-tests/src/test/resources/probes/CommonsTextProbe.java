package probes;

import org.apache.commons.text.StringSubstitutor;

/** P1, CVE-2022-42889 as the advisory states it: the shared default interpolator resolves url:, dns:, script:. */
public class CommonsTextProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        return StringSubstitutor.createInterpolator().replace(in);
    }
}
