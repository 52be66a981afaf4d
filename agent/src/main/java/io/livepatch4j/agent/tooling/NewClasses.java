package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.rewrite.ClassRenames;
import io.livepatch4j.patch.rewrite.ImplClassWriter;
import io.livepatch4j.patch.rewrite.PatchShape;
import io.livepatch4j.patch.rewrite.RewriteContext;
import io.livepatch4j.patch.rewrite.RewriteException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defines the classes a patch adds, in the class loader and package of the classes it changes (a
 * named class must be reachable by name from patched code). They get the prologue, so a later patch
 * can change them too. A class cannot be removed from its loader, so re-applying a patch reuses the
 * class it defined before; different bytes under the same name are refused.
 */
final class NewClasses {

    private final PreparedClasses prepared;
    private final java.lang.instrument.Instrumentation inst;
    private final Map<String, String> definedSha = new ConcurrentHashMap<>();

    NewClasses(PreparedClasses prepared, java.lang.instrument.Instrumentation inst) {
        this.prepared = prepared;
        this.inst = inst;
    }

    /**
     * A cumulative patch is built from the release, so it carries again, as new, the classes that
     * the live patches added; a class cannot be defined twice. Where it carries one with other bytes
     * than the class an earlier patch defined, that class is patched instead: the patch as the agent
     * applies it has it as a changed class, based on the bytes it was defined with (its "code as
     * loaded"). The same bytes stay a new class, which {@link #define} reuses. Under the lifecycle lock.
     */
    Patch carriedAgain(Patch patch) {
        Map<String, NewClass> byName = new java.util.HashMap<>();
        patch.newClasses().forEach(c -> byName.put(c.name(), c));
        List<io.livepatch4j.patch.ClassPatch> changed = new java.util.ArrayList<>(patch.classes());
        java.util.Set<String> nowChanged = new java.util.HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            NewClass nc = c.isHidden() || c.isArray() ? null : byName.get(c.getName());
            String defined = nc == null ? null
                : definedSha.get(System.identityHashCode(c.getClassLoader()) + "/" + nc.name());
            PreparedClasses.Original asDefined = defined == null ? null : prepared.original(c);
            if (asDefined == null || defined.equals(nc.sha256()) || !nowChanged.add(nc.name())) {
                continue;
            }
            List<io.livepatch4j.patch.Change> changes;
            try {
                changes = io.livepatch4j.patch.diff.ClassDiff.compare(asDefined.bytes(), nc.bytes()).changes();
            } catch (RuntimeException e) {
                nowChanged.remove(nc.name());
                continue; // unreadable: left a new class, which define refuses by name
            }
            changed.add(new io.livepatch4j.patch.ClassPatch(nc.name(), asDefined.sha256(), nc.bytes(), changes));
        }
        if (nowChanged.isEmpty()) {
            return patch;
        }
        return patch.withClasses(changed, patch.newClasses().stream().filter(c -> !nowChanged.contains(c.name())).toList());
    }

    void define(Patch patch, PatchShape shape, List<HostClass> hosts) throws PatchException {
        for (NewClass nc : supertypesFirst(patch.newClasses())) {
            HostClass samePackage = samePackage(nc, hosts);
            HostClass neighbour = samePackage != null ? samePackage : hosts.get(0);
            ClassLoader loader = neighbour.type.getClassLoader();
            String key = System.identityHashCode(loader) + "/" + nc.name();
            String previous = definedSha.get(key);
            if (previous != null) {
                if (previous.equals(nc.sha256())) {
                    continue;
                }
                throw new PatchException("refused: new class " + nc.name() + " was already defined by an earlier patch "
                    + "with other bytes, and a loaded class cannot be replaced; give the new class another name");
            }
            if (isLoaded(nc.name(), loader)) {
                throw new PatchException("refused: the patch adds class " + nc.name() + ", but this JVM already has a "
                    + "class of that name; build the patch against the build this JVM runs");
            }
            // The prologue is added by PreparedClasses as the class is defined, like any prepared class.
            byte[] bytes = rewrite(nc, ClassRenames.apply(nc.bytes(), patch.classRenames()), shape, neighbour.type);
            try {
                prepared.rememberAdded(loader, nc.internalName(), nc.bytes(), nc.sha256());
                defineUnlinked(loader, nc.name(), bytes, neighbour.type);
                BootstrapLinks.grantPrivateAccess(Class.forName(nc.name(), false, loader), WrittenClass.read(bytes), loader);
            } catch (LinkageError | ReflectiveOperationException e) {
                throw new PatchException("refused: new class " + nc.name() + " could not be defined (" + e
                    + "); rebuild the patch with 'lp4j build'", e);
            }
            definedSha.put(key, nc.sha256());
        }
    }

    /** A patched class in the new class's package, whose loader defines it; null if there is none. */
    private static HostClass samePackage(NewClass nc, List<HostClass> hosts) {
        for (HostClass h : hosts) {
            if (h.type.getPackageName().equals(nc.packageName())) {
                return h;
            }
        }
        return null;
    }

    /** The class {@link #define} defined for {@code nc}, given the same hosts. */
    static Class<?> defined(NewClass nc, List<HostClass> hosts) throws ClassNotFoundException {
        HostClass samePackage = samePackage(nc, hosts);
        return Class.forName(nc.name(), false, (samePackage != null ? samePackage : hosts.get(0)).type.getClassLoader());
    }

    /**
     * The patch's new classes, each after the new classes it extends or implements: the class loader
     * cannot find a new class that is not defined yet, and defining a class resolves its supertypes.
     */
    static List<NewClass> supertypesFirst(List<NewClass> classes) {
        Map<String, NewClass> byName = new java.util.LinkedHashMap<>();
        classes.forEach(c -> byName.put(c.internalName(), c));
        List<NewClass> ordered = new java.util.ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (NewClass c : classes) {
            place(c, byName, placed, ordered, new java.util.HashSet<>());
        }
        return ordered;
    }

    private static void place(NewClass c, Map<String, NewClass> byName, java.util.Set<String> placed,
                              List<NewClass> ordered, java.util.Set<String> visiting) {
        if (placed.contains(c.internalName()) || !visiting.add(c.internalName())) {
            return; // placed, or a cycle (which the JVM refuses anyway)
        }
        ClassReader r = new ClassReader(c.bytes());
        List<String> supertypes = new java.util.ArrayList<>(List.of(r.getInterfaces()));
        if (r.getSuperName() != null) {
            supertypes.add(r.getSuperName());
        }
        for (String s : supertypes) {
            NewClass sup = byName.get(s);
            if (sup != null) {
                place(sup, byName, placed, ordered, visiting);
            }
        }
        placed.add(c.internalName());
        ordered.add(c);
    }

    /**
     * Defines the class in its loader without linking it: it links later, on first use, as the
     * loader's other classes do. Linking at once (Lookup.defineClass) verifies it, and verifying can
     * load another class the patch adds that cannot be defined before this one (an enum's static
     * initializer stores its constant bodies' objects, whose classes extend the enum): the apply was
     * refused with NoClassDefFoundError. A Lookup cannot define a class of a new package either.
     * The agent's JNI library defines it (JNI DefineClass), so no module is opened: reflecting on
     * ClassLoader.defineClass needed java.lang opened to the agent's module, which is the
     * application's (the system class loader's unnamed module), for good (issue 14, item 8). Without
     * the library (a platform other than Linux x86-64), a class in the package of a class the patch
     * changes is defined through that class's full-privilege lookup, linked at once; one in a new
     * package is refused.
     */
    private void defineUnlinked(ClassLoader loader, String name, byte[] bytes, Class<?> neighbour)
        throws ReflectiveOperationException, PatchException {
        if (JvmtiStacks.defineClass(name.replace('.', '/'), loader, bytes)) {
            return;
        }
        if (!neighbour.getPackageName().equals(packageOf(name))) {
            throw new PatchException("refused: new class " + name + " is in a package no class of the patch is in, and "
                + "without the agent's native library (Linux x86-64 only) it cannot be defined there without opening "
                + "java.lang to the application; move it to the package of a class the patch changes");
        }
        HostLookups.full(neighbour).defineClass(bytes);
    }

    private static String packageOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** Calls and field accesses to members the patch adds to other classes go through dispatch. */
    private static byte[] rewrite(NewClass nc, byte[] renamed, PatchShape shape, Class<?> neighbour) throws PatchException {
        try {
            int access = new ClassReader(renamed).getAccess();
            RewriteContext ctx = new RewriteContext(nc.internalName(), null, (access & Opcodes.ACC_INTERFACE) != 0, shape,
                new LoadedMembers(neighbour, shape));
            return ImplClassWriter.rewriteAdded(renamed, ctx);
        } catch (RewriteException e) {
            throw new PatchException("refused: " + e.getMessage(), e);
        }
    }

    private static boolean isLoaded(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
