package io.livepatch4j.patch.rewrite;

/**
 * Where a referenced member is declared, and with which access. The agent answers from the classes
 * the JVM has loaded; the compiler from the builds it reads. Null when unknown: the rewrite then
 * leaves the reference alone and the JVM's verification has the last word.
 */
public interface MemberResolver {

    /** @param declaringClass internal name of the class that declares the member */
    record Resolved(String declaringClass, int access) {
    }

    Resolved resolve(String owner, String name, String descriptor, boolean field);

    /**
     * Internal name of the nest host of {@code internalName} as the JVM has it after the apply (a
     * loaded class's own nest; a class the patch adds, the one its class file names), or null if unknown.
     */
    default String nestHost(String internalName) {
        return null;
    }

    /**
     * Whether, in the patch's new build, a call of the instance method {@code name + descriptor} on an
     * object of a class whose superclass is {@code superName} finds code: a concrete declaration in a
     * superclass, or a default method in an interface (each class as the patch's new build has it
     * where the patch changes it, as loaded elsewhere). True when unknown, the answer that refuses
     * rather than throws.
     */
    default boolean implementedInNewBuild(String superName, String name, String descriptor) {
        return true;
    }

    MemberResolver NONE = (owner, name, descriptor, field) -> null;
}
