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
    private final Map<ClassVersion, ClassShape> shapes = new HashMap<>();
    /**
     * Per version after 0, the fresh static state its code reaches (Reinitialization): entries
     * {@code "a.b.C@tag"}, a re-initialized class and the storage of its re-initialization. The same
     * bytes compiled against other static state are another version. Absent or empty for code that
     * reaches the fields as loaded.
     */
    private final Map<ClassVersion, java.util.Set<String>> variants = new HashMap<>();
    /**
     * Per version that holds this class's own static state apart: the tag of that state's storage.
     * Each apply of a patch that re-initializes the class gets a new tag, so two generations that
     * are live at once never share the state (a tag is never reused).
     */
    private final Map<ClassVersion, Integer> reinitTags = new HashMap<>();
    /** For the whole JVM, so a host record made again (after a refused patch) never reuses a tag. */
    private static final java.util.concurrent.atomic.AtomicInteger LAST_REINIT_TAG = new java.util.concurrent.atomic.AtomicInteger();
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
        return newVersion(sha, builtSha, bytes, context, java.util.Set.of(), null);
    }

    /**
     * @param variant   the fresh static state the version's code reaches ({@link #variants})
     * @param reinitTag the storage of this class's own fresh static state, or null if it has none
     */
    ClassVersion newVersion(String sha, String builtSha, byte[] bytes, PatchShape context, java.util.Set<String> variant,
                            Integer reinitTag) {
        ClassVersion v = new ClassVersion(versions.size(), sha, builtSha, bytes);
        versions.add(v);
        contexts.put(v, context);
        variants.put(v, java.util.Set.copyOf(variant));
        if (reinitTag != null) {
            reinitTags.put(v, reinitTag);
        }
        return v;
    }

    /** A version with these exact (renamed) bytes, if the class had one before (re-applying a patch reuses it). */
    ClassVersion versionWithSha(String sha) {
        return versionWithSha(sha, java.util.Set.of(), null);
    }

    /** The same, compiled against the same fresh static state ({@link #newVersion}'s variant and tag). */
    ClassVersion versionWithSha(String sha, java.util.Set<String> variant, Integer reinitTag) {
        for (ClassVersion v : versions) {
            if (v.sha256().equals(sha) && variant(v).equals(variant) && java.util.Objects.equals(reinitTag(v), reinitTag)) {
                return v;
            }
        }
        return null;
    }

    /** A storage tag no version of any class had: a re-initialization's own. */
    static int newReinitTag() {
        return LAST_REINIT_TAG.incrementAndGet();
    }

    /**
     * Whether {@code a} and {@code b} reach the same static state: the same fresh state of other
     * classes (variant) and this class's own in the same place. Code that is the same in both may
     * still read other values when they do not.
     */
    boolean sameStaticState(ClassVersion a, ClassVersion b) {
        return variant(a).equals(variant(b)) && java.util.Objects.equals(reinitTag(a), reinitTag(b));
    }

    /** The fresh static state {@code v}'s code reaches ({@link #newVersion}). */
    java.util.Set<String> variant(ClassVersion v) {
        return variants.getOrDefault(v, java.util.Set.of());
    }

    /** The storage tag of the fresh static state {@code v} holds, or null if it reads the loaded class's fields. */
    Integer reinitTag(ClassVersion v) {
        return reinitTags.get(v);
    }

    /** A version of this class that holds the fresh static state {@code tag} (its bytes give the fields), or null. */
    ClassVersion withReinitTag(int tag) {
        for (Map.Entry<ClassVersion, Integer> e : reinitTags.entrySet()) {
            if (e.getValue() == tag) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The shape of {@code v}'s class file, read once per version (every apply's contexts need the
     * shape of every patched class's version: read each time, a 300-class patch read 90,000).
     */
    ClassShape shape(ClassVersion v) {
        return v.isOriginal() ? loadedShape : shapes.computeIfAbsent(v, k -> ClassShape.of(k.bytes()));
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
