package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Brings a class file older than Java 7 (version 51) to version 51, with the stack map frames that
 * version requires, so it can take prologues and implementation classes ({@code invokedynamic} needs
 * 51). Libraries still ship such classes (compiled with {@code -target 1.6} or older). Subroutines
 * ({@code jsr}/{@code ret}, which javac emitted for {@code finally} before Java 6 and version 51
 * forbids) are inlined first; the frames are computed by ASM, with superclasses from a
 * {@link ClassHierarchy}. The code does the same; only its form changes.
 */
public final class FrameUpgrade {

    private FrameUpgrade() {}

    public static boolean needed(byte[] classBytes) {
        return (new ClassReader(classBytes).readUnsignedShort(6)) < Opcodes.V1_7;
    }

    /** The class as version 51 with frames; the bytes as they are if already 51 or newer. */
    public static byte[] toJava7(byte[] classBytes, ClassHierarchy hierarchy) {
        if (!needed(classBytes)) {
            return classBytes;
        }
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = framesWriter(hierarchy);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] itfs) {
                super.visit(Opcodes.V1_7, access, name, signature, superName, itfs);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                return new JSRInlinerAdapter(mv, access, name, desc, signature, exceptions);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /**
     * A writer that computes every method's frames, with the common superclass of two types read
     * from {@code hierarchy}'s class files: never a class loaded, so it is safe in a transformer.
     */
    public static ClassWriter framesWriter(ClassHierarchy hierarchy) {
        return framesWriter(null, hierarchy);
    }

    /**
     * As above, for a transformation of {@code source} (null for none): the methods a transformation
     * passes through unchanged are copied as they are, frames and all, and only the others are
     * computed.
     */
    public static ClassWriter framesWriter(ClassReader source, ClassHierarchy hierarchy) {
        return new ClassWriter(source, ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                if (a.equals(b)) {
                    return a;
                }
                if (hierarchy.isInterface(a) || hierarchy.isInterface(b)) {
                    return "java/lang/Object";
                }
                Set<String> chain = new LinkedHashSet<>();
                for (String t = a; t != null; t = hierarchy.superName(t)) {
                    chain.add(t);
                }
                for (String t = b; t != null; t = hierarchy.superName(t)) {
                    if (chain.contains(t)) {
                        return t;
                    }
                }
                return "java/lang/Object";
            }
        };
    }
}
