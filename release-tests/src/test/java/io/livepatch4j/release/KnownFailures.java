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
        "log4j-core-2.14.1", "the agent refuses: 'the new static initializer of org.apache.logging.log4j.core.config."
            + "ConfigurationSource threw java.lang.NoSuchFieldError: EMPTY_BYTE_ARRAY': the initializer of the --only "
            + "selection reads a field its build check did not find missing (to investigate: the build's link check "
            + "of static initializers against the classes left out)");

    /** SecurityFixesIT: fixes that cannot be applied live today, with the refusal of their key class. */
    static final Map<String, String> LIVE_FIXES = Map.ofEntries(
        Map.entry("P15 spring-web", "lp4j build refuses: org.springframework.web.util.UriComponentsBuilder#<clinit>()V: "
            + "the static initializer changed (a loaded class is never initialized again)"),
        Map.entry("P2 log4j-core, message lookups", "lp4j build refuses: org.apache.logging.log4j.core.pattern."
            + "MessagePatternConverter: its class modifiers changed from 'public final' to 'public'; "
            + "#loadMessageRenderer: the method's modifiers changed from 'private' to 'private static'; #<init>()V: a "
            + "constructor was added"),
        Map.entry("P6 snakeyaml 2.0, global tags", "lp4j build refuses: org.yaml.snakeyaml.LoaderOptions#getTagInspector() "
            + "and #setTagInspector(TagInspector): a public instance method was added; and more"),
        Map.entry("P14 commons-configuration2", "lp4j build refuses: org.apache.commons.configuration2.interpol."
            + "ConfigurationInterpolator#<clinit>()V: the static initializer changed; #getStringConverter(): a public "
            + "instance method was added; and more"));
}
