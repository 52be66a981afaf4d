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

    MemberResolver NONE = (owner, name, descriptor, field) -> null;
}
