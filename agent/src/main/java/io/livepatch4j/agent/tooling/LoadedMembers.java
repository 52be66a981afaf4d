package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.MemberResolver;
import io.livepatch4j.patch.rewrite.PatchShape;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;


/**
 * Resolves where a referenced member is declared, for the protected- and private-access rewrites:
 * members of classes the patch adds from their class files, the rest from the classes the JVM has
 * loaded (through the host's loader, without initializing anything). A member a patch adds to a
 * loaded class is not found here, on purpose: the shadow-field and added-method rewrites own it.
 *
 * <p>Before a patch loads the classes it names that no code has loaded ({@link AheadVariants}), every
 * class is answered from its class file ({@code classFiles}) and none is loaded: reflection on a loaded
 * class loads the classes its members' signatures name, which may be one of the patch's.
 */
final class LoadedMembers implements MemberResolver, io.livepatch4j.patch.rewrite.ClassHierarchy {

    /** The class whose code is rewritten, or null ahead of its loading: then nothing is loaded. */
    private final Class<?> host;
    private final ClassLoader loader;
    private final PatchShape patch;
    private final java.util.function.Function<String, ClassShape> classFiles;
    /**
     * The answers given so far, by owner, name, descriptor and kind: a class's code names the same
     * members many times (a builder's append in every method). One resolver serves one rewriting, on
     * one thread, and is dropped with it.
     */
    private final java.util.Map<String, java.util.Optional<Resolved>> resolved = new java.util.HashMap<>();

    LoadedMembers(Class<?> host, PatchShape patch) {
        this.host = host;
        this.loader = host.getClassLoader();
        this.patch = patch;
        this.classFiles = name -> null;
    }

    /**
     * Ahead of loading: {@code classFiles} gives the shape of each class (internal name) as its class
     * file has it, or null if there is none.
     */
    LoadedMembers(ClassLoader loader, PatchShape patch, java.util.function.Function<String, ClassShape> classFiles) {
        this.host = null;
        this.loader = loader;
        this.patch = patch;
        this.classFiles = classFiles;
    }

    @Override
    public Resolved resolve(String owner, String name, String descriptor, boolean field) {
        String key = (field ? "F " : "M ") + owner + '.' + name + descriptor;
        java.util.Optional<Resolved> known = resolved.get(key);
        if (known == null) {
            known = java.util.Optional.ofNullable(find(owner, name, descriptor, field));
            resolved.put(key, known);
        }
        return known.orElse(null);
    }

    private Resolved find(String owner, String name, String descriptor, boolean field) {
        ClassShape added = added(owner);
        if (added != null) {
            Integer access = field ? added.fieldAccess(name, descriptor) : added.methodAccess(name, descriptor);
            return access == null ? null : new Resolved(owner, access);
        }
        String k = owner;
        for (ClassShape s = classFiles.apply(k); s != null; s = k == null ? null : classFiles.apply(k)) {
            Integer access = field ? s.fieldAccess(name, descriptor) : s.methodAccess(name, descriptor);
            if (access != null) {
                return new Resolved(k, access);
            }
            k = s.superName();
        }
        if (k == null) {
            return null;
        }
        Class<?> start = load(k);
        for (Class<?> c = start; c != null; c = c.getSuperclass()) {
            Integer access = DeclaredMembers.access(c, name, descriptor, field);
            if (access != null) {
                return new Resolved(Type.getInternalName(c), access);
            }
        }
        return null;
    }

    @Override
    public String nestHost(String internalName) {
        ClassShape added = shapeOf(internalName);
        if (added != null) {
            return added.nestHost();
        }
        Class<?> c = load(internalName);
        return c == null ? null : Type.getInternalName(c.getNestHost());
    }

    /** For the frames of an old class file (FrameUpgrade): the loaded class's superclass. */
    @Override
    public String superName(String internalName) {
        ClassShape added = shapeOf(internalName);
        if (added != null) {
            return added.superName();
        }
        Class<?> c = load(internalName);
        return c == null || c.getSuperclass() == null ? null : Type.getInternalName(c.getSuperclass());
    }

    @Override
    public boolean isInterface(String internalName) {
        ClassShape added = shapeOf(internalName);
        if (added != null) {
            return added.isInterface();
        }
        Class<?> c = load(internalName);
        return c != null && c.isInterface();
    }

    /**
     * The superclasses first: the first that declares the method decides (concrete: found; abstract:
     * not). Then, if none does, the default methods of every interface of the host and of the loaded
     * classes on the way (a patch cannot change a loaded class's interfaces). A class the patch changes is read as its new version; one this JVM cannot load answers
     * true (unknown).
     */
    @Override
    public boolean implementedInNewBuild(String superName, String name, String descriptor) {
        if (host == null) {
            return true; // unknown ahead of loading: only an implementation class's rewriting asks
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (String k = superName; k != null; ) {
            PatchShape.Entry e = patch == null ? null : patch.entry(k);
            ClassShape shape = e != null ? e.version() : added(k);
            Integer access;
            String next;
            if (shape != null) {
                access = shape.methodAccess(name, descriptor);
                next = shape.superName();
                Class<?> c = e != null ? load(k) : null;
                if (c != null) {
                    loaded.add(c);
                }
            } else {
                Class<?> c = load(k);
                if (c == null) {
                    return true;
                }
                loaded.add(c);
                access = DeclaredMembers.access(c, name, descriptor, false);
                next = c.getSuperclass() == null ? null : Type.getInternalName(c.getSuperclass());
            }
            if (access != null) {
                return (access & Opcodes.ACC_ABSTRACT) == 0;
            }
            k = next;
        }
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Class<?>> interfaces = new java.util.ArrayDeque<>(List.of(host.getInterfaces()));
        loaded.forEach(c -> interfaces.addAll(List.of(c.getInterfaces())));
        while (!interfaces.isEmpty()) {
            Class<?> i = interfaces.poll();
            if (!seen.add(i)) {
                continue;
            }
            PatchShape.Entry e = patch == null ? null : patch.entry(Type.getInternalName(i));
            Integer access = e != null ? e.version().methodAccess(name, descriptor)
                : DeclaredMembers.access(i, name, descriptor, false);
            if (access != null && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0) {
                return true;
            }
            interfaces.addAll(List.of(i.getInterfaces()));
        }
        return false;
    }

    /** The shape of a class the patch adds, or null. */
    private ClassShape added(String internalName) {
        return patch == null ? null : patch.newClass(internalName);
    }

    /** The shape of a class the patch adds, or of one it has not loaded yet; null for a loaded class. */
    private ClassShape shapeOf(String internalName) {
        ClassShape added = added(internalName);
        return added != null || internalName == null ? added : classFiles.apply(internalName);
    }

    private Class<?> load(String owner) {
        if (host == null) {
            return null; // ahead of loading: every class is a shape, or unknown
        }
        try {
            return Class.forName(owner.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
