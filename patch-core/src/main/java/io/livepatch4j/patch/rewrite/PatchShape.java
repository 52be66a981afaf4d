package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ClassShape;

import java.util.HashMap;
import java.util.Map;

/**
 * What the classes a patch touches look like to rewritten code: for each one, the shape of the class
 * the JVM actually loaded (the host) and the members the patch's version has that the host lacks.
 * A member is "added" relative to the loaded class, not to the previous build: a method added by an
 * earlier patch is still absent from the loaded class, and is reached the same way.
 */
public final class PatchShape {

    /**
     * One class of the patch: the loaded class's shape and the version the patch brings.
     * {@code reinitialized}: the static fields ({@code name:desc}) the version holds apart from the
     * loaded class's because the patch re-initializes it (Reinitialization); they are reached as
     * added fields are.
     */
    public record Entry(ClassShape host, ClassShape version, java.util.Set<String> reinitialized, String storage) {

        public Entry {
            reinitialized = java.util.Set.copyOf(reinitialized);
        }

        /** A re-initialized class whose fresh state has no storage of its own (the builder's check). */
        public Entry(ClassShape host, ClassShape version, java.util.Set<String> reinitialized) {
            this(host, version, reinitialized, "");
        }

        public Entry(ClassShape host, ClassShape version) {
            this(host, version, java.util.Set.of());
        }

        /**
         * The name under which code reaches the field's storage: its own, or for a re-initialized
         * static field its name and the re-initialization's {@code storage} suffix, so the fresh state
         * of each re-initialization is apart from the others' (two generations live at once each keep
         * theirs).
         */
        public String storageName(String name, String desc) {
            return reinitialized.contains(name + ":" + desc) ? name + storage : name;
        }

        /**
         * The version has the method and the loaded class has not, or has it of the other kind (a
         * private method that became static, or the other way round, is another method to the JVM).
         */
        public boolean isAddedMethod(String name, String desc) {
            Integer v = version.methodAccess(name, desc);
            Integer h = host.methodAccess(name, desc);
            return v != null && (h == null || ((h ^ v) & org.objectweb.asm.Opcodes.ACC_STATIC) != 0);
        }

        /**
         * An added instance method that a subclass may override: calls to it dispatch over the
         * receiver's class. Private and final methods, and methods of final classes, cannot be.
         */
        public boolean isOverridable(String name, String desc) {
            Integer v = version.methodAccess(name, desc);
            int never = org.objectweb.asm.Opcodes.ACC_STATIC | org.objectweb.asm.Opcodes.ACC_PRIVATE
                | org.objectweb.asm.Opcodes.ACC_FINAL;
            return v != null && (v & never) == 0 && !"<init>".equals(name)
                && (version.access() & org.objectweb.asm.Opcodes.ACC_FINAL) == 0;
        }

        public boolean isAddedField(String name, String desc) {
            return version.hasField(name, desc) && (!host.hasField(name, desc) || reinitialized.contains(name + ":" + desc));
        }
    }

    private final Map<String, Entry> byName = new HashMap<>();
    private final Map<String, ClassShape> newClasses;

    /** @param newClasses the classes the patch adds, by internal name */
    public PatchShape(Map<String, Entry> entries, Map<String, ClassShape> newClasses) {
        byName.putAll(entries);
        this.newClasses = Map.copyOf(newClasses);
    }

    /** The shape of a class the patch adds, or null. */
    public ClassShape newClass(String internalName) {
        return newClasses.get(internalName);
    }

    /** The entry for a patched class (internal name), or null if the patch does not touch it. */
    public Entry entry(String internalName) {
        return byName.get(internalName);
    }

    public boolean isNewClass(String internalName) {
        return newClasses.containsKey(internalName);
    }

    public boolean isAddedMethod(String owner, String name, String desc) {
        Entry e = byName.get(owner);
        return e != null && e.isAddedMethod(name, desc);
    }

    /**
     * The class that adds the member {@code owner} names, where javac named it through a subclass
     * ({@code Sub.helper()} for a method the patch adds to {@code Base}): {@code owner} itself if the
     * patch adds it there, else the first superclass (through {@code hierarchy}) that the patch adds
     * it to, before any that declares it as loaded; null if the patch adds no such member.
     */
    public String declaringAdded(String owner, String name, String desc, boolean field, ClassHierarchy hierarchy) {
        for (String k = owner; k != null && !k.startsWith("["); k = superOf(k, hierarchy)) {
            Entry e = byName.get(k);
            if (e != null) {
                if (field ? e.isAddedField(name, desc) : e.isAddedMethod(name, desc)) {
                    return k;
                }
                if (field ? e.host().hasField(name, desc) : e.host().hasMethod(name, desc)) {
                    return null;
                }
            }
            if (hierarchy == null) {
                return null;
            }
        }
        return null;
    }

    private String superOf(String k, ClassHierarchy hierarchy) {
        Entry e = byName.get(k);
        if (e != null) {
            return e.host().superName();
        }
        ClassShape added = newClasses.get(k);
        if (added != null) {
            return added.superName();
        }
        return hierarchy == null ? null : hierarchy.superName(k);
    }

    public boolean isAddedField(String owner, String name, String desc) {
        Entry e = byName.get(owner);
        return e != null && e.isAddedField(name, desc);
    }
}
