package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.MemberResolver;
import io.livepatch4j.patch.rewrite.PatchShape;
import org.objectweb.asm.Type;


/**
 * Resolves where a referenced member is declared, for the protected- and private-access rewrites:
 * members of classes the patch adds from their class files, the rest from the classes the JVM has
 * loaded (through the host's loader, without initializing anything). A member a patch adds to a
 * loaded class is not found here, on purpose: the shadow-field and added-method rewrites own it.
 */
final class LoadedMembers implements MemberResolver, io.livepatch4j.patch.rewrite.ClassHierarchy {

    private final Class<?> host;
    private final PatchShape patch;

    LoadedMembers(Class<?> host, PatchShape patch) {
        this.host = host;
        this.patch = patch;
    }

    @Override
    public Resolved resolve(String owner, String name, String descriptor, boolean field) {
        ClassShape added = added(owner);
        if (added != null) {
            Integer access = field ? added.fieldAccess(name, descriptor) : added.methodAccess(name, descriptor);
            return access == null ? null : new Resolved(owner, access);
        }
        Class<?> start = load(owner);
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
        ClassShape added = added(internalName);
        if (added != null) {
            return added.nestHost();
        }
        Class<?> c = load(internalName);
        return c == null ? null : Type.getInternalName(c.getNestHost());
    }

    /** For the frames of an old class file (FrameUpgrade): the loaded class's superclass. */
    @Override
    public String superName(String internalName) {
        ClassShape added = added(internalName);
        if (added != null) {
            return added.superName();
        }
        Class<?> c = load(internalName);
        return c == null || c.getSuperclass() == null ? null : Type.getInternalName(c.getSuperclass());
    }

    @Override
    public boolean isInterface(String internalName) {
        ClassShape added = added(internalName);
        if (added != null) {
            return added.isInterface();
        }
        Class<?> c = load(internalName);
        return c != null && c.isInterface();
    }

    /** The shape of a class the patch adds, or null. */
    private ClassShape added(String internalName) {
        return patch == null ? null : patch.newClass(internalName);
    }

    private Class<?> load(String owner) {
        try {
            return Class.forName(owner.replace('/', '.'), false, host.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
