package io.livepatch4j.release;

import java.util.List;
import java.util.function.Predicate;

/**
 * One security fix shown live: the probe of the research note (issue 13), run by a server on the
 * old release; the benign input the load sends; the exploit; how an answer shows the exploit worked;
 * what the fixed release answers instead; and the fix's classes, for --only when the whole release
 * is refused.
 */
record LiveFix(String id, String pairId, String probe, List<String> fixClasses, String benign, String exploit,
               Predicate<String> exploited, String blockedMarker, int stackKiB, List<String> reinitialize) {

    /** A fix built without --reinitialize. */
    LiveFix(String id, String pairId, String probe, List<String> fixClasses, String benign, String exploit,
            Predicate<String> exploited, String blockedMarker, int stackKiB) {
        this(id, pairId, probe, fixClasses, benign, exploit, exploited, blockedMarker, stackKiB, List.of());
    }

    /** The server's request threads get 512 KiB stacks, so a stack-overflow exploit fails fast. */
    LiveFix(String id, String pairId, String probe, List<String> fixClasses, String benign, String exploit,
            Predicate<String> exploited, String blockedMarker) {
        this(id, pairId, probe, fixClasses, benign, exploit, exploited, blockedMarker, 512);
    }

    boolean blocked(String answer) {
        return !exploited.test(answer) && answer.contains(blockedMarker);
    }

    static final List<LiveFix> ALL = List.of(
        new LiveFix("P9 json-smart", "json-smart", "JsonSmartProbe",
            List.of("net.minidev.json.parser.JSONParserBase", "net.minidev.json.parser.ParseException"),
            "{\"a\":[1,2,{\"b\":\"c\"}]}", "[".repeat(50_000), a -> a.contains("StackOverflowError"), "Malicious payload",
            // 2.4.9 stops at depth 400; patched calls take more stack than the release's own (see P7), and
            // 512 KiB overflowed before depth 400 in some runs (interpreted frames); 4 MiB still overflows
            // on the old release's 50,000 levels.
            4096),
        new LiveFix("P11 jsoup", "jsoup", "JsoupProbe", 
            List.of("org.jsoup.safety.Cleaner", "org.jsoup.safety.Safelist", "org.jsoup.internal.StringUtil"),
            "<p>hello <b>world</b> <a href=\"/x\">x</a></p>", "<a href=\"ja\tvascript:alert(1)\">x</a>",
            a -> a.contains("script:alert"), "<a rel=\"nofollow\">x</a>"),
        new LiveFix("P1 commons-text, per-request interpolator", "commons-text", "CommonsTextPerRequestProbe",
            List.of("org.apache.commons.text.lookup.StringLookupFactory"), "${user} ${base64Decoder:SGVsbG8=}",
            "${url:UTF-8:file:///etc/hostname}", a -> !a.startsWith("${url:"), "${url:UTF-8:file:///etc/hostname}"),
        new LiveFix("P1 commons-text, createInterpolator()", "commons-text", "CommonsTextProbe",
            List.of("org.apache.commons.text.lookup.StringLookupFactory"), "${base64Decoder:SGVsbG8=}",
            "${url:UTF-8:file:///etc/hostname}", a -> !a.startsWith("${url:"), "${url:UTF-8:file:///etc/hostname}", 512,
            // createInterpolator() hands out InterpolatorStringLookup.INSTANCE, which that class's static
            // initializer built with 1.9's default lookups before the patch: the new generation gets it
            // built again by 1.10.0's code.
            List.of("org.apache.commons.text.lookup.InterpolatorStringLookup")),
        new LiveFix("P5 snakeyaml", "snakeyaml-1.30", "SnakeYamlProbe",
            List.of("org.yaml.snakeyaml.composer.Composer", "org.yaml.snakeyaml.parser.ParserImpl", "org.yaml.snakeyaml.LoaderOptions"),
            "a: [1, 2]", "[".repeat(100) + "]".repeat(100), a -> a.startsWith("parsed"), "Nesting Depth exceeded"),
        new LiveFix("P7 jackson-databind", "jackson-databind-2.13.2", "JacksonProbe",
            List.of("com.fasterxml.jackson.databind.deser.std.UntypedObjectDeserializer"), "{\"a\":[1,2]}",
            "[".repeat(50_000) + "]".repeat(50_000), a -> a.contains("StackOverflowError"), "too deeply nested",
            // 2.13.2.1 stops at depth 1000, through methods the patch adds (protected, so dispatched over
            // the receiver's class): patched calls take more stack than the release's own, and 512 KiB
            // overflows before depth 1000; 4 MiB still overflows on the old release's 50,000 levels.
            4096),
        new LiveFix("P10 commons-io", "commons-io", "CommonsIoProbe", List.of("org.apache.commons.io.FilenameUtils"),
            "/a/b/../c.txt", "//../foo", a -> a.equals("//../foo"), "null"),
        new LiveFix("P12 netty", "netty-codec", "NettyProbe", List.of("io.netty.handler.codec.DefaultHeaders"), "plain",
            "a\r\nSet-Cookie: evil=1", a -> a.equals("accepted"), "prohibited character"),
        new LiveFix("P15 spring-web", "spring-web", "SpringWebProbe", List.of("org.springframework.web.util.UriComponentsBuilder"),
            "https://example.com/a?b=c", "https://good.com[@evil.com/", a -> a.equals("good.com"), "evil.com", 512,
            // The fix is in the URI patterns UriComponentsBuilder's static initializer compiles: the new
            // generation gets them compiled again by 5.3.32's code.
            List.of("org.springframework.web.util.UriComponentsBuilder")),
        new LiveFix("P17 logback-core", "logback-core", "LogbackProbe",
            List.of("ch.qos.logback.core.net.HardenedObjectInputStream", "ch.qos.logback.core.util.EnvUtil"), "3", "30",
            a -> a.equals("read"), "REJECTED"),
        new LiveFix("P2 log4j-core, message lookups", "log4j-core-2.14.1", "Log4jProbe",
            List.of("org.apache.logging.log4j.core.pattern.MessagePatternConverter"), "user logged in",
            "v=${java:version}", a -> a.contains("Java version"), "${java:version}"),
        new LiveFix("P13 guava", "guava", "GuavaProbe",
            List.of("com.google.common.io.Files"), "noop", "create",
            a -> a.matches("rwx[r-][w-][x-][r-][w-][x-]") && !a.equals("rwx------"), "rwx------"),
        new LiveFix("P4 log4j-core, recursive lookup", "log4j-core-2.16.0", "Log4jRecursionProbe",
            List.of("org.apache.logging.log4j.core.lookup.StrSubstitutor"), "hello", "${${ctx:x}}",
            a -> a.contains("StackOverflowError"), "${${ctx:x}}"),
        new LiveFix("P6 snakeyaml 2.0, global tags", "snakeyaml-1.33", "SnakeYamlProbe",
            List.of("org.yaml.snakeyaml.composer.Composer", "org.yaml.snakeyaml.LoaderOptions", "org.yaml.snakeyaml.constructor.BaseConstructor"),
            "a: [1, 2]", "!!java.io.File [\"/tmp/x\"]", a -> a.equals("parsed File"), "Global tag is not allowed"),
        new LiveFix("P8 jackson-databind, nested unwrapping", "jackson-databind-2.13.4", "JacksonUnwrapProbe",
            List.of("com.fasterxml.jackson.databind.deser.std.StdDeserializer"), "[1]",
            "[".repeat(50_000) + "1" + "]".repeat(50_000), a -> a.contains("StackOverflowError"), "nested Arrays not allowed"),
        new LiveFix("P14 commons-configuration2", "commons-configuration2", "ConfigurationProbe",
            List.of("org.apache.commons.configuration2.interpol.ConfigurationInterpolator"), "plain",
            "${url:UTF-8:file:///etc/hostname}", a -> !a.startsWith("${url:"), "${url:UTF-8:file:///etc/hostname}"));
}
