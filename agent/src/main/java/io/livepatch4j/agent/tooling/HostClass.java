package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.PatchShape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tooling knows about one loaded class that patches have touched: its shape as loaded,
 * every version of its code (0 = as loaded), and for each version the patch context its
 * implementation class is built in. Changed under {@link Lifecycle#lock} only.
 */
final class HostClass {

    final Class<?> type;
    final PatchableClass runtime;
    final ClassShape loadedShape;
    /** Read by status without the lock, so copy-on-write. */
    private final List<ClassVersion> versions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<ClassVersion, PatchShape> contexts = new HashMap<>();
    /**
     * Per version after 0, the classes (binary names) whose fresh static state its code reaches
     * (Reinitialization): the same bytes compiled against other static state are another version.
     * Absent or empty for code that reaches the fields as loaded.
     */
    private final Map<ClassVersion, java.util.Set<String>> variants = new HashMap<>();
    /** The versions that hold this class's own static state apart (the patch re-initialized it). */
    private final java.util.Set<ClassVersion> reinitialized = new java.util.HashSet<>();
    /** The version whose code the class's own method bodies hold; not 0 only after the redefine strategy. */
    int bodyVersion;

    HostClass(Class<?> type, byte[] originalBytes, String originalSha) {
        this.type = type;
        this.runtime = PatchableClass.of(type);
        this.loadedShape = ClassShape.of(originalBytes);
        // A class registers its original once for the JVM's life; a host record made again (after a
        // refused patch dropped the first) shares it, so dispatch's fallback is always this object.
        runtime.register(new ClassVersion(0, originalSha, originalBytes));
        versions.add(runtime.original());
    }

    ClassVersion original() {
        return versions.get(0);
    }

    /** @param builtSha the SHA-256 of the class file as built, before its lambda bodies were renamed */
    ClassVersion newVersion(String sha, String builtSha, byte[] bytes, PatchShape context) {
        return newVersion(sha, builtSha, bytes, context, java.util.Set.of(), false);
    }

    /**
     * @param variant       the re-initialized classes whose fresh static state the version's code reaches
     * @param reinitialized the version holds this class's own static state apart
     */
    ClassVersion newVersion(String sha, String builtSha, byte[] bytes, PatchShape context, java.util.Set<String> variant,
                            boolean reinitialized) {
        ClassVersion v = new ClassVersion(versions.size(), sha, builtSha, bytes);
        versions.add(v);
        contexts.put(v, context);
        variants.put(v, java.util.Set.copyOf(variant));
        if (reinitialized) {
            this.reinitialized.add(v);
        }
        return v;
    }

    /** A version with these exact (renamed) bytes, if the class had one before (re-applying a patch reuses it). */
    ClassVersion versionWithSha(String sha) {
        return versionWithSha(sha, java.util.Set.of(), false);
    }

    /** The same, compiled against the same fresh static state ({@link #newVersion}'s variant and flag). */
    ClassVersion versionWithSha(String sha, java.util.Set<String> variant, boolean reinitialized) {
        for (ClassVersion v : versions) {
            if (v.sha256().equals(sha) && variant(v).equals(variant)
                && this.reinitialized.contains(v) == reinitialized) {
                return v;
            }
        }
        return null;
    }

    /**
     * Whether {@code a} and {@code b} reach the same static state: the same classes' fresh state
     * (variant) and this class's own state in the same place. Code that is the same in both may
     * still read other values when they do not.
     */
    boolean sameStaticState(ClassVersion a, ClassVersion b) {
        return variant(a).equals(variant(b)) && reinitialized.contains(a) == reinitialized.contains(b);
    }

    /** The re-initialized classes whose fresh static state {@code v}'s code reaches ({@link #newVersion}). */
    java.util.Set<String> variant(ClassVersion v) {
        return variants.getOrDefault(v, java.util.Set.of());
    }

    /** Whether {@code v} holds this class's static state apart from the loaded class's. */
    boolean reinitialized(ClassVersion v) {
        return reinitialized.contains(v);
    }

    PatchShape context(ClassVersion v) {
        return contexts.get(v);
    }

    void setContext(ClassVersion v, PatchShape context) {
        contexts.put(v, context);
    }

    List<ClassVersion> versions() {
        return List.copyOf(versions);
    }

    String name() {
        return type.getName();
    }
}
