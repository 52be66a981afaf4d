package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.diff.StaticInitializers;
import io.livepatch4j.patch.rewrite.ImplClassWriter;
import io.livepatch4j.patch.rewrite.ImplNames;
import io.livepatch4j.patch.rewrite.PatchShape;
import io.livepatch4j.patch.rewrite.RewriteContext;
import io.livepatch4j.patch.rewrite.RewriteException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a version's implementation class and installs its methods in the class's dispatch sites.
 * The class is defined as a hidden nestmate of the host (so it reads the host's private members)
 * and is not strongly tied to its loader, so it is unloaded once nothing refers to it: after its
 * version retires, {@link ClassVersion#release} drops the last reference. Before its methods are
 * installed, every bootstrap its code links to is linked once ({@link BootstrapLinks}), so a link
 * the JDK refuses refuses the patch instead of failing in a unit of work later.
 */
final class ImplClasses {

    private ImplClasses() {}

    /** A version of a class whose implementation class is to be written in {@code context} and installed. */
    record Pending(HostClass host, ClassVersion version, PatchShape context) {
    }

    /**
     * The implementation class of a pending version (no initializer), read for installing: a pure
     * rewriting, safe on any thread.
     */
    static WrittenClass write(Pending p) throws PatchException {
        return WrittenClass.read(write(p.host(), p.version(), p.context(), null));
    }

    /**
     * Installs a pending version's implementation class, {@code code} as {@link #write(Pending)} wrote it;
     * defining it verifies its code. Under the lifecycle lock.
     */
    static void install(Pending p, WrittenClass code) throws PatchException {
        HostClass h = p.host();
        ClassVersion v = p.version();
        if (v.installed()) {
            return;
        }
        MethodHandles.Lookup impl = define(h, code);
        // The implementation class's methods: the version's, and the stubs the writer adds for the
        // overrides the version removed (ImplClassWriter), each at its host method's dispatch site.
        List<DispatchSite> sites = new ArrayList<>();
        List<MethodHandle> handles = new ArrayList<>();
        ClassLoader loader = h.type.getClassLoader();
        try {
            for (String key : code.methods) {
                int paren = key.indexOf('(');
                String implName = key.substring(0, paren);
                String implDesc = key.substring(paren);
                ImplNames.HostMember m = ImplNames.hostMember(implName, implDesc);
                MethodType type;
                try {
                    type = MethodType.fromMethodDescriptorString(implDesc, loader);
                } catch (TypeNotPresentException | NoClassDefFoundError absent) {
                    // Its descriptor names a type this JVM cannot load (an optional dependency that is
                    // absent): the host method's own dispatch cannot link either, so no thread can run
                    // the method once the class is patched, whichever version; it gets no site.
                    continue;
                }
                sites.add(h.runtime.site(m.name(), m.descriptor(), m.isStatic(), type));
                handles.add(impl.findStatic(impl.lookupClass(), implName, type));
            }
        } catch (TypeNotPresentException | NoClassDefFoundError e) {
            throw new UnlinkableCode(h, "refused: class " + h.name() + ": its patched code needs a type this JVM "
                + "cannot load (" + e + "; an optional dependency that is absent here?); nothing was changed: leave "
                + h.name() + " out of the patch (lp4j build --only), or add the dependency", e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new PatchException("refused: class " + h.name() + ": the patched code refers to a type or "
                + "method this JVM cannot find (" + e + ")", e);
        }
        BootstrapLinks.resolve(h, v, impl, code);
        int slots = 0;
        for (DispatchSite s : sites) {
            slots = Math.max(slots, s.slot() + 1);
        }
        MethodHandle[] bySlot = new MethodHandle[slots];
        for (int i = 0; i < sites.size(); i++) {
            bySlot[sites.get(i).slot()] = handles.get(i);
        }
        v.install(impl.lookupClass(), bySlot);
    }

    /**
     * The implementation class of {@code v}, and with {@code initializer} its static initializer's
     * statements to run as well (StaticInitRunner defines such a copy once, to run them).
     */
    static byte[] write(HostClass h, ClassVersion v, PatchShape context, StaticInitializers.Plan initializer)
        throws PatchException {
        String host = h.type.getName().replace('.', '/');
        try {
            return ImplClassWriter.write(v.bytes(), new RewriteContext(host, ImplNames.implClass(host),
                h.loadedShape.isInterface(), context, new LoadedMembers(h.type, context)), initializer);
        } catch (RewriteException e) {
            throw new PatchException("refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new PatchException("refused: class " + h.name() + " (version " + v.number()
                + "): its code could not be rewritten for patching (" + e + "); rebuild it with javac", e);
        }
    }

    /**
     * Whether the code {@code h} was loaded with can be defined in this JVM: false when it needs a class
     * this JVM cannot load, as {@link #define} finds it (then nothing here can run the class).
     */
    static boolean originalLinks(HostClass h, PatchShape context) throws PatchException {
        try {
            WrittenClass code = WrittenClass.read(write(h, h.original(), context, null));
            define(h, code);
            for (String key : code.methods) {
                MethodType.fromMethodDescriptorString(key.substring(key.indexOf('(')), h.type.getClassLoader());
            }
            return true;
        } catch (UnlinkableCode | TypeNotPresentException | NoClassDefFoundError e) {
            return false;
        }
    }

    /** Defines implementation class bytes as a hidden nestmate of the host (the JVM verifies them here). */
    static MethodHandles.Lookup define(HostClass h, WrittenClass code) throws PatchException {
        LambdaBridgeClasses.define(h, code);
        try {
            return HostLookups.full(h.type).defineHiddenClass(code.bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE);
        } catch (NoClassDefFoundError e) {
            throw new UnlinkableCode(h, "refused: class " + h.name() + ": its patched code needs class " + e.getMessage()
                + ", which this JVM cannot load (an optional dependency that is absent here?); nothing was changed: "
                + "leave " + h.name() + " out of the patch (lp4j build --only), or add the dependency", e);
        } catch (LinkageError e) {
            throw new PatchException("refused: class " + h.name() + ": the patched code fails the JVM's verification ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); the patch file is corrupt or was not "
                + "built by javac: rebuild it with 'lp4j build'", e);
        } catch (IllegalAccessException e) {
            throw new PatchException("refused: class " + h.name() + " is in a package that is not open to the "
                + "livepatch4j agent (" + e.getMessage() + ")", e);
        }
    }
}
