package io.livepatch4j.bench.bigpatch;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class that makes a big patch be refused late: a patch's pre-apply callback runs after every
 * check passed and the patch's classes are installed, and its throwing vetoes the patch
 * (docs/patch-format.md, "Transformers and callbacks"). It must be a class the new build adds, in
 * the loader of the classes it patches, so it is written here as bytes, in Guava's package, into a
 * folder that lp4j build reads after the new release ({@code --new guava.jar:folder}). In Java:
 * <pre>
 * package com.google.common.lp4jbench;
 * public final class BigPatchVeto {
 *     &#64;PatchCallback(PatchCallback.Phase.PRE_APPLY)
 *     public static void veto() { throw new IllegalStateException(MESSAGE); }
 * }
 * </pre>
 */
final class VetoHooks {

    static final String CLASS = "com/google/common/lp4jbench/BigPatchVeto";
    static final String MESSAGE = "vetoed by scripts/bench-big-patches' pre-apply callback";

    private VetoHooks() {}

    /** Writes the class under {@code folder} (as a class path folder) and returns the folder. */
    static Path writeInto(Path folder) throws IOException {
        Path file = folder.resolve(CLASS + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes());
        return folder;
    }

    static byte[] bytes() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, CLASS, null,
            "java/lang/Object", null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PRIVATE, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor veto = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "veto", "()V", null, null);
        AnnotationVisitor a = veto.visitAnnotation("Lio/livepatch4j/quiescence/PatchCallback;", true);
        a.visitEnum("value", "Lio/livepatch4j/quiescence/PatchCallback$Phase;", "PRE_APPLY");
        a.visitEnd();
        veto.visitCode();
        veto.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        veto.visitInsn(Opcodes.DUP);
        veto.visitLdcInsn(MESSAGE);
        veto.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>",
            "(Ljava/lang/String;)V", false);
        veto.visitInsn(Opcodes.ATHROW);
        veto.visitMaxs(0, 0);
        veto.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
