package io.livepatch4j.demo.client;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Tells from one response of the demo server which code served it: all v1, all v2, or a mix.
 *
 * <p>Two methods on every request's path stamp their own code version into {@value #SERVED_BY}:
 * one early (the access check), one late (the renderer), with the request's real work between
 * them. Both changed from v1 to v2, so a request that ran part old and part new code carries
 * stamps of both versions. The load driver uses this class to count such requests.
 *
 * <p>Plain JDK only, so any HTTP client can use it: pass a header lookup such as Jetty's
 * {@code response.getHeaders()::get}, or for {@code java.net.http}
 * {@code name -> response.headers().firstValue(name).orElse(null)}.
 */
public final class ResponseCheck {

    /** The code generation the request started in: 0 is the code as loaded, each patch adds 1. */
    public static final String CODE_GENERATION = "X-Code-Generation";

    /** The version stamps, in the order the stamping methods ran, e.g. {@code access=v1;render=v1}. */
    public static final String SERVED_BY = "X-Served-By";

    /** The request header that carries the API key for keys under {@code private/}. */
    public static final String API_KEY = "X-Api-Key";

    /** What one response says about the code that served it. */
    public enum ServedVersion {
        /** Every stamp says v1. */
        V1,
        /** Every stamp says v2. */
        V2,
        /** The stamps name both versions: the request ran old and new code. */
        MIXED,
        /**
         * No usable stamp: the header is missing (Jetty answered a malformed request itself, before
         * the demo's code ran), or a stamp is not {@code name=v1} or {@code name=v2}.
         */
        UNKNOWN
    }

    private ResponseCheck() {}

    /** Classifies a response by its headers; {@code header} returns a header's value or null. */
    public static ServedVersion classify(Function<String, String> header) {
        return classifyServedBy(header.apply(SERVED_BY));
    }

    /** Classifies a value of the {@value #SERVED_BY} header (null when the header is absent). */
    public static ServedVersion classifyServedBy(String servedBy) {
        if (servedBy == null || servedBy.isBlank()) {
            return ServedVersion.UNKNOWN;
        }
        boolean sawV1 = false;
        boolean sawV2 = false;
        for (String stamp : servedBy.split(";", -1)) {
            int equals = stamp.indexOf('=');
            if (equals <= 0) {
                return ServedVersion.UNKNOWN;
            }
            switch (stamp.substring(equals + 1).trim().toLowerCase(Locale.ROOT)) {
                case "v1" -> sawV1 = true;
                case "v2" -> sawV2 = true;
                default -> {
                    return ServedVersion.UNKNOWN;
                }
            }
        }
        if (sawV1 && sawV2) {
            return ServedVersion.MIXED;
        }
        return sawV1 ? ServedVersion.V1 : ServedVersion.V2;
    }

    /** The generation in the {@value #CODE_GENERATION} header, empty if absent or not a number. */
    public static OptionalLong generation(Function<String, String> header) {
        String value = header.apply(CODE_GENERATION);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException notANumber) {
            return OptionalLong.empty();
        }
    }
}
