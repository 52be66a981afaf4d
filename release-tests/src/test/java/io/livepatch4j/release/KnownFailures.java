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
    static final Map<String, String> LIVE_FIXES = Map.of(
        "P2 log4j-core, message lookups", "lp4j build refuses the fix (--only MessagePatternConverter --closure): its "
            + "nested converters' constructors call super(...) of a constructor the fix adds to MessagePatternConverter, "
            + "which the loaded class does not have, and its added converters extend classes the running JVM has "
            + "in another kind (added-class-supertype)");
}
