package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;

import java.util.Map;

/**
 * An overriding method that the version no longer has. The loaded method stays and its prologue
 * still dispatches, so the version needs a body for it: in the new build a call lands on the
 * inherited method, so the body calls it ({@code super.m(...)}, linked through the host's lookup by
 * {@link SuperCalls}). Where the inherited method is abstract as loaded and the new build has no code
 * for the call either (the fix removed the abstract method and every implementation, as Guava 33.5.0
 * did to {@code SetView.upperBoundSize}: {@link MemberResolver#implementedInNewBuild}), the body
 * throws the AbstractMethodError the JVM throws for a class that does not implement an abstract
 * method. Where the new build does find code further up (a superclass's or an interface's default),
 * the super call cannot reach it past the loaded abstract method: it does not link, and the patch is
 * refused. A removed method that overrides nothing
 * the loaded superclasses declare has no such body: where it is still called, it runs its old body
 * (the dispatch site's fallback).
 */
final class RemovedOverrides {

    private RemovedOverrides() {}

    static void write(ClassWriter cw, ClassNode version, RewriteContext ctx, String statusClass) {
        PatchShape.Entry entry = ctx.shape().entry(ctx.host());
        if (entry == null || ctx.resolver() == null || version.superName == null) {
            return;
        }
        for (Map.Entry<String, Integer> m : entry.host().methods().entrySet()) {
            int access = m.getValue();
            String key = m.getKey();
            int paren = key.indexOf('(');
            String name = key.substring(0, paren);
            String desc = key.substring(paren);
            if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_ABSTRACT)) != 0 || name.startsWith("<")
                || version.methods.stream().anyMatch(v -> v.name.equals(name) && v.desc.equals(desc))) {
                continue;
            }
            MemberResolver.Resolved inherited = ctx.resolver().resolve(version.superName, name, desc, false);
            if (inherited == null || (inherited.access() & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0) {
                continue;
            }
            String implDesc = ImplNames.descriptor(ctx.host(), desc, false);
            MethodVisitor out = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                ImplNames.method(name, false), implDesc, null, null);
            MethodVisitor mv = ImplClassWriter.pipeline(ctx, new CodeOnly(out), statusClass);
            mv.visitCode();
            if ((inherited.access() & Opcodes.ACC_ABSTRACT) != 0
                && !ctx.resolver().implementedInNewBuild(version.superName, name, desc)) {
                throwAbstractMethodError(mv, ctx.host(), inherited.declaringClass(), name + desc,
                    Type.getArgumentsAndReturnSizes(implDesc) >> 2);
                continue;
            }
            int slot = 0;
            for (Type t : Type.getArgumentTypes(implDesc)) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, version.superName, name, desc, false);
            mv.visitInsn(Type.getReturnType(desc).getOpcode(Opcodes.IRETURN));
            mv.visitMaxs(Math.max(slot, Type.getReturnType(desc).getSize()), slot);
            mv.visitEnd();
        }
    }

    private static void throwAbstractMethodError(MethodVisitor mv, String host, String owner, String method,
                                                 int argumentSlots) {
        String error = "java/lang/AbstractMethodError";
        mv.visitTypeInsn(Opcodes.NEW, error);
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn("Receiver class " + host.replace('/', '.') + " does not define or inherit an implementation of "
            + "the abstract method " + method + " of " + owner.replace('/', '.') + ": a live patch removed its "
            + "implementation (the patch's new build has no such method), and code that the patch did not replace "
            + "called it");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, error, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(3, argumentSlots);
        mv.visitEnd();
    }
}
