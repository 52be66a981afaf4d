package io.livepatch4j.agent.tooling;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandles;

/**
 * A lookup with full privilege on a host class, which defining a hidden nestmate needs. The agent's
 * own lookup gets that only for classes in its own module (the system class loader's unnamed
 * module, where -javaagent jars live); a class of another loader (a web application's, a plugin's)
 * is in another unnamed module, where privateLookupIn gives private but not module access. So for
 * those a tiny class is defined once in the host's package and loader (through the host's lookup,
 * which may define classes there), and asked for a private lookup from inside that module. The class
 * and its method are package-private: only code of that package, which has that access anyway, and
 * the agent (through the host's lookup) can call it.
 */
final class HostLookups {

    /** The simple name of the helper class, in every package that needs one. */
    static final String HELPER = "Lp4j$FullLookup";

    private static final ClassValue<MethodHandles.Lookup> FULL = new ClassValue<>() {
        @Override
        protected MethodHandles.Lookup computeValue(Class<?> host) {
            try {
                MethodHandles.Lookup mine = MethodHandles.privateLookupIn(host, MethodHandles.lookup());
                if (mine.hasFullPrivilegeAccess()) {
                    return mine;
                }
                Class<?> helper = helperFor(mine, host);
                return (MethodHandles.Lookup) mine.findStatic(helper, "of",
                    java.lang.invoke.MethodType.methodType(MethodHandles.Lookup.class, Class.class)).invoke(host);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private HostLookups() {}

    /** A lookup on {@code host} with full privilege (private and module access). */
    static MethodHandles.Lookup full(Class<?> host) throws IllegalAccessException {
        try {
            return FULL.get(host);
        } catch (IllegalStateException e) {
            IllegalAccessException iae = new IllegalAccessException("no full-privilege lookup on " + host.getName()
                + ": " + e.getCause());
            iae.initCause(e);
            throw iae;
        }
    }

    /** Whether a class is such a helper (never prepared for patching). */
    static boolean isHelper(String internalName) {
        return internalName.endsWith("/" + HELPER) || internalName.equals(HELPER);
    }

    private static Class<?> helperFor(MethodHandles.Lookup hostLookup, Class<?> host) throws ReflectiveOperationException {
        String pkg = host.getPackageName();
        String name = pkg.isEmpty() ? HELPER : pkg + "." + HELPER;
        try {
            return Class.forName(name, false, host.getClassLoader());
        } catch (ClassNotFoundException notYet) {
            try {
                return hostLookup.defineClass(bytes(name.replace('.', '/')));
            } catch (LinkageError raced) {
                return Class.forName(name, false, host.getClassLoader());
            }
        }
    }

    /** {@code final class NAME { static Lookup of(Class c) { return privateLookupIn(c, lookup()); } }} */
    private static byte[] bytes(String internalName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
            internalName, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "of",
            "(Ljava/lang/Class;)Ljava/lang/invoke/MethodHandles$Lookup;", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
            "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "privateLookupIn",
            "(Ljava/lang/Class;Ljava/lang/invoke/MethodHandles$Lookup;)Ljava/lang/invoke/MethodHandles$Lookup;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
