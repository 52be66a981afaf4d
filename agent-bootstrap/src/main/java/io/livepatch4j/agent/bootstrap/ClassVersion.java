package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;

/**
 * One version of one patched class's code: the original as loaded (version 0) or the one a patch
 * brought. Its methods live in an implementation class, a hidden nestmate of the host, as static
 * methods; {@code impls[slot]} is the handle of the method at that dispatch slot, or null if this
 * version has no such method. The tooling installs the handles while the version is live and
 * {@link #release releases} them when it retires, so the implementation class can be unloaded.
 */
public final class ClassVersion {

    private final int number;
    private final String sha256;
    private final String builtSha256;
    private final byte[] bytes;
    private volatile MethodHandle[] impls;
    private volatile Class<?> implClass;

    /** A version whose bytes are exactly the class file as built (the code as loaded). */
    public ClassVersion(int number, String sha256, byte[] bytes) {
        this(number, sha256, sha256, bytes);
    }

    /**
     * @param sha256      the SHA-256 of {@code bytes}, the code this version runs
     * @param builtSha256 the SHA-256 of the class file as javac built it, before the agent renamed
     *                    its lambda bodies to pair with the version it replaced: what a patch built
     *                    from this build names as its base
     */
    public ClassVersion(int number, String sha256, String builtSha256, byte[] bytes) {
        this.number = number;
        this.sha256 = sha256;
        this.builtSha256 = builtSha256;
        this.bytes = bytes;
    }

    /** 0 for the code as loaded, then 1, 2, ... for each version a patch brought to this class. */
    public int number() {
        return number;
    }

    public String sha256() {
        return sha256;
    }

    /** The SHA-256 of the class file as built; patches built from this build name it as their base. */
    public String builtSha256() {
        return builtSha256;
    }

    /** The class file of this version, from which the tooling (re)builds the implementation class. */
    public byte[] bytes() {
        return bytes;
    }

    public boolean isOriginal() {
        return number == 0;
    }

    /** Installs the implementation. Safe publication: both fields are volatile and impls is written last. */
    public void install(Class<?> implClass, MethodHandle[] impls) {
        this.implClass = implClass;
        this.impls = impls;
    }

    /** Drops the implementation so it can be garbage-collected; the tooling rebuilds it if needed again. */
    public void release() {
        this.impls = null;
        this.implClass = null;
    }

    public boolean installed() {
        return impls != null;
    }

    public Class<?> implClass() {
        return implClass;
    }

    MethodHandle impl(int slot) {
        MethodHandle[] h = impls;
        return h == null || slot >= h.length ? null : h[slot];
    }
}
