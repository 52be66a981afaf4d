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
        ClassVersion v = new ClassVersion(versions.size(), sha, builtSha, bytes);
        versions.add(v);
        contexts.put(v, context);
        return v;
    }

    /** A version with these exact (renamed) bytes, if the class had one before (re-applying a patch reuses it). */
    ClassVersion versionWithSha(String sha) {
        for (ClassVersion v : versions) {
            if (v.sha256().equals(sha)) {
                return v;
            }
        }
        return null;
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
