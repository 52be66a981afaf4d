package io.livepatch4j.patch;

/**
 * A callback or state transformer the patch carries: a static, no-argument method of one of the
 * classes it adds, annotated in the new build with {@code io.livepatch4j.quiescence.PatchCallback}
 * or {@code StateTransformer}, run by the agent at the point its kind names.
 *
 * @param className binary name of the class the patch adds that declares it
 * @param method    the method's name; its descriptor is {@code ()V}
 */
public record PatchHook(Kind kind, String className, String method) {

    /** When the agent runs it; in this order within one apply and one rollback. */
    public enum Kind {
        /** Before the patch takes effect; throwing vetoes it. */
        PRE_APPLY,
        /** Once when the patch is applied, after its static initializers; throwing refuses it. */
        TRANSFORMER,
        /** Once the transition to the patch's generation completed. */
        POST_APPLY,
        /** When a rollback that removes the patch starts. */
        PRE_ROLLBACK,
        /** Once when a rollback removes the patch, before it takes effect. */
        REVERSE_TRANSFORMER,
        /** Once that rollback completed. */
        POST_ROLLBACK
    }

    public PatchHook {
        if (kind == null || className == null || className.isBlank() || method == null || method.isBlank()) {
            throw new IllegalArgumentException("a patch hook needs a kind, a class and a method");
        }
    }

    /** {@code Class#method()} as a person reads it. */
    public String display() {
        return className + "#" + method + "()";
    }
}
