package io.livepatch4j.patch;

/** What a patch does to one member of a class. Each kind is documented in docs/patch-format.md. */
public enum ChangeKind {
    /** An existing method or constructor gets a new body. */
    METHOD_BODY,
    /** A private or static method that the old build did not have. */
    METHOD_ADDED,
    /** A private method the new build no longer has; it stays loaded, unused by new code. */
    METHOD_REMOVED,
    /** A field the old build did not have, kept as a shadow field (side storage keyed by object identity). */
    FIELD_ADDED,
    /** A private field the new build no longer has; it stays in every object, unused by new code. */
    FIELD_REMOVED,
    /** A class the old build did not have. */
    CLASS_ADDED
}
