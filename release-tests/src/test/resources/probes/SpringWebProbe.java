package probes;

import org.springframework.web.util.UriComponentsBuilder;

/** P15, CVE-2024-22243: the host UriComponentsBuilder parses is not the one a browser goes to. */
public class SpringWebProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        return String.valueOf(UriComponentsBuilder.fromUriString(in).build().getHost());
    }
}
