package io.livepatch4j.patch;

/** What a patch does to one member of a class. Each kind is documented in docs/patch-format.md. */
public enum ChangeKind {
    /** An existing method or constructor gets a new body. */
    METHOD_BODY,
    /**
     * A method or constructor the old build did not have. Calls from patched code reach it: an
     * overridable one dispatches over the receiver's class, overrides in subclasses included.
     */
    METHOD_ADDED,
    /** A method the new build no longer has; it stays loaded (older code may run it), unused by new code. */
    METHOD_REMOVED,
    /** A field the old build did not have, kept as a shadow field (side storage keyed by object identity). */
    FIELD_ADDED,
    /** A field the new build no longer has; it stays in every object, unused by new code. */
    FIELD_REMOVED,
    /** The modifiers of a method, a field or the class changed, in a way the generation's code honours. */
    MODIFIERS,
    /** The static initializer changed, or one was added or removed: see docs/patch-format.md. */
    STATIC_INITIALIZER,
    /** A class the old build did not have. */
    CLASS_ADDED
}
