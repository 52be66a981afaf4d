package io.livepatch4j.release;

import java.util.Map;

/**
 * The one place that lists what fails today, with the reason, so that each entry can be removed as
 * the builder or the agent is fixed. An entry turns its case's failure into a skipped test that
 * quotes the reason and the error of the run; a case listed here that passes FAILS, asking for its
 * entry to be removed, so that the list never hides a fix. Cases whose pair has no patch at all
 * ('lp4j build' refuses every selection) are skipped by the tests themselves, with the refusals:
 * they need no entry.
 */
final class KnownFailures {

    private KnownFailures() {}

    /** ApplyReleasesIT: pairs whose patch 'lp4j build' writes but 'lp4j apply' (or rollback) refuses or fails. */
    static final Map<String, String> APPLY = Map.of(
        "log4j-core-2.14.1", "the agent refuses the whole patch because classes it changes cannot be loaded in this JVM "
            + "(their optional dependencies are absent, as on most servers): 'lp4j: refused patch log4j-core-2.14.1-2.15.0, "
            + "nothing was changed: org.apache.logging.log4j.core.async.RingBufferLogEventTranslator (needs LMAX Disruptor), "
            + "org.apache.logging.log4j.core.jackson.ContextDataSerializer (needs Jackson): no class loader of this JVM "
            + "finds this class; is the patch for this program?'",
        "spring-web", "the same refusal: 'org.springframework.http.server.reactive.ChannelSendOperator$WriteBarrier (needs "
            + "Reactor), org.springframework.web.context.request.async.StandardServletAsyncWebRequest (needs the Servlet "
            + "API): no class loader of this JVM finds this class; is the patch for this program?'",
        "log4j-core-2.17.0", "the agent's control thread dies: java.lang.NoClassDefFoundError: com/lmax/disruptor/EventHandler "
            + "from Class.getDeclaredMethods in agent LoadedMembers.resolve (ProtectedMembers.needsHost, while "
            + "ImplClasses.install rewrites a patched class), so 'lp4j apply' exits 3: 'JVM closed the connection "
            + "before answering'",
        "commons-configuration2", "the same crash: java.lang.NoClassDefFoundError: org/apache/commons/vfs2/FileSystemException "
            + "from Class.getDeclaredMethods in agent LoadedMembers.resolve; 'lp4j apply' exits 3: 'JVM closed the "
            + "connection before answering'",
        "guava", "'lp4j: refused: new class com.google.common.hash.Hashing$Crc32CSupplier could not be defined "
            + "(java.lang.NoClassDefFoundError: com/google/common/hash/Hashing$Crc32CSupplier$1); rebuild the patch with "
            + "lp4j build' (the --only patch carries the added class but not its anonymous class $1)");

    /** SecurityFixesIT: fixes that cannot be applied live today, with the refusal of their key class. */
    static final Map<String, String> LIVE_FIXES = Map.ofEntries(
        Map.entry("P11 jsoup", "the fix is StringUtil's new control-character pattern, and 'lp4j build --only Cleaner Safelist "
            + "StringUtil' refuses: org.jsoup.internal.StringUtil#<clinit>()V: the static initializer changed (a loaded "
            + "class is never initialized again); without StringUtil the patch applies and the exploit still works"),
        Map.entry("P1 commons-text, createInterpolator()", "the patch applies, but createInterpolator() hands out "
            + "InterpolatorStringLookup.INSTANCE, which that class's static initializer built before the patch with "
            + "1.9's default lookups; 1.10.0 leaves that initializer as it was, so no patch made of the release reaches "
            + "the shared instance (docs/results/commons-text.md); url: still resolves after 'lp4j apply'"),
        Map.entry("P5 snakeyaml", "lp4j build refuses: org.yaml.snakeyaml.LoaderOptions#getNestingDepthLimit()I and "
            + "#setNestingDepthLimit(I)V: a public instance method was added; org.yaml.snakeyaml.composer.Composer"
            + "#nestingDepthLimit:I: a final instance field was added; org.yaml.snakeyaml.parser.ParserImpl#access$402: "
            + "the static method was removed (13 refusals)"),
        Map.entry("P7 jackson-databind", "lp4j build refuses: com.fasterxml.jackson.databind.deser.std."
            + "UntypedObjectDeserializer$Vanilla#mapArray/mapArrayToArray/mapObject(JsonParser, DeserializationContext): "
            + "the protected method was removed; #mapArray(..., I) and the others with a depth: a protected instance "
            + "method was added (6 refusals)"),
        Map.entry("P10 commons-io", "lp4j build refuses: org.apache.commons.io.FilenameUtils#<clinit>()V: the static "
            + "initializer changed (a loaded class is never initialized again)"),
        Map.entry("P12 netty", "lp4j build refuses: io.netty.handler.codec.DefaultHeaders: class file version 50 predates "
            + "stack map frames; recompile it with --release 8 or newer"),
        Map.entry("P15 spring-web", "lp4j build refuses: org.springframework.web.util.UriComponentsBuilder#<clinit>()V: "
            + "the static initializer changed (a loaded class is never initialized again)"),
        Map.entry("P17 logback-core", "lp4j build refuses: ch.qos.logback.core.net.HardenedObjectInputStream and "
            + "ch.qos.logback.core.util.EnvUtil: class file version 50 predates stack map frames"),
        Map.entry("P2 log4j-core, message lookups", "lp4j build refuses: org.apache.logging.log4j.core.pattern."
            + "MessagePatternConverter: its class modifiers changed from 'public final' to 'public'; "
            + "#loadMessageRenderer: the method's modifiers changed from 'private' to 'private static'; #<init>()V: a "
            + "constructor was added"),
        Map.entry("P13 guava", "lp4j build --only com.google.common.io.Files writes the patch, and 'lp4j apply' refuses "
            + "it: 'lp4j: refused: new class com.google.common.io.TempFileCreator could not be defined "
            + "(java.lang.NoClassDefFoundError: com/google/common/io/TempFileCreator$JavaNioCreator); rebuild the patch "
            + "with lp4j build' (the patch carries the added class but not its added nested classes)"),
        Map.entry("P4 log4j-core, recursive lookup", "lp4j build refuses: org.apache.logging.log4j.core.lookup.StrSubstitutor"
            + "#<init>(StrSubstitutor)V: a constructor was added; #isRecursiveEvaluationAllowed()Z: a package-private "
            + "instance method was added; and more"),
        Map.entry("P6 snakeyaml 2.0, global tags", "lp4j build refuses: org.yaml.snakeyaml.LoaderOptions#getTagInspector() "
            + "and #setTagInspector(TagInspector): a public instance method was added; and more"),
        Map.entry("P8 jackson-databind, nested unwrapping", "lp4j build refuses: com.fasterxml.jackson.databind.deser.std."
            + "StdDeserializer#handleNestedArrayForSingle(JsonParser, DeserializationContext): a protected instance "
            + "method was added (a loaded class cannot get new overridable methods)"),
        Map.entry("P14 commons-configuration2", "lp4j build refuses: org.apache.commons.configuration2.interpol."
            + "ConfigurationInterpolator#<clinit>()V: the static initializer changed; #getStringConverter(): a public "
            + "instance method was added; and more"));
}
