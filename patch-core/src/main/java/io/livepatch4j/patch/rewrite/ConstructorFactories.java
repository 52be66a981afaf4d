package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ConstructorSplit;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The factory of each constructor a version adds to the loaded class, which has no such constructor
 * to call. {@code lp4j$new(args)} runs what {@code new C(args)} would:
 * <ol>
 *   <li>the constructor's code up to its {@code super(...)}/{@code this(...)} call (the arguments),
 *       in a method whose first local stands where the uninitialized {@code this} was;</li>
 *   <li>the call itself, which allocates: {@code this(...)} to a loaded constructor is {@code new C(...)};
 *       to another added one, that one's factory; {@code super(...)} runs the superclass's
 *       constructor on a new C the way deserialization does ({@code Dispatch.newInstance});</li>
 *   <li>the constructor's body, the implementation method every constructor has ({@code c$init}).</li>
 * </ol>
 * Only patched code calls the factory: code outside the patch was compiled without the constructor.
 */
final class ConstructorFactories {

    private ConstructorFactories() {}

    static void write(ClassWriter cw, org.objectweb.asm.tree.ClassNode version, RewriteContext ctx, String statusClass) {
        for (MethodNode m : version.methods) {
            if ("<init>".equals(m.name) && ctx.shape().isAddedMethod(version.name, "<init>", m.desc)) {
                writeFactories(cw, version.name, m, ctx, statusClass);
            }
        }
    }

    private static void writeFactories(ClassWriter cw, String host, MethodNode ctor, RewriteContext ctx, String statusClass) {
        Type[] params = Type.getArgumentTypes(ctor.desc);
        String factoryDesc = AddedConstructorCalls.factoryDescriptor(host, ctor.desc);
        String thisDesc = thisDescriptor(host, ctor.desc);

        // lp4j$new(args): lp4j$new0(null, args)
        MethodVisitor plain = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            ImplNames.method(AddedConstructorCalls.FACTORY, true), factoryDesc, null, null);
        plain.visitCode();
        plain.visitInsn(Opcodes.ACONST_NULL);
        int slot = 0;
        for (Type t : params) {
            plain.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
            slot += t.getSize();
        }
        plain.visitMethodInsn(Opcodes.INVOKESTATIC, ctx.impl(), ImplNames.method(AddedConstructorCalls.FACTORY_THIS, true),
            thisDesc, false);
        plain.visitInsn(Opcodes.ARETURN);
        plain.visitMaxs(slot + 1, slot);
        plain.visitEnd();

        MethodNode factory = prefixFactory(host, ctor, thisDesc, ctx);
        MethodVisitor out = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            ImplNames.method(AddedConstructorCalls.FACTORY_THIS, true), thisDesc, null, null);
        factory.accept(ImplClassWriter.pipeline(ctx, new CodeOnly(out), statusClass));
    }

    /** lp4j$new0(Object ignored, args): the constructor's prefix, the allocating call, then its body. */
    private static MethodNode prefixFactory(String host, MethodNode ctor, String thisDesc, RewriteContext ctx) {
        int split = ConstructorSplit.initializingCall(host, ctor);
        if (split < 0) {
            throw new RewriteException(host.replace('/', '.') + "#<init>" + ctor.desc
                + ": no super(...)/this(...) call found; rebuild the class with javac");
        }
        MethodNode f = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "factory", thisDesc, null, null);
        Map<LabelNode, LabelNode> labels = ImplClassWriter.freshLabels(ctor.instructions);
        for (int i = 0; i < split; i++) {
            AbstractInsnNode copy = ctor.instructions.get(i).clone(labels);
            if (copy instanceof FrameNode fn) {
                fn.local = thisAsObject(fn.local);
                fn.stack = thisAsObject(fn.stack);
            }
            f.instructions.add(copy);
        }
        MethodInsnNode call = (MethodInsnNode) ctor.instructions.get(split);
        if (call.owner.equals(host) && ctx.shape().isAddedMethod(host, "<init>", call.desc)) {
            String otherThis = thisDescriptor(host, call.desc);
            f.instructions.add(new MethodInsnNode(Opcodes.INVOKESTATIC, ctx.impl(),
                ImplNames.method(AddedConstructorCalls.FACTORY_THIS, true), otherThis, false));
        } else {
            f.instructions.add(new InvokeDynamicInsnNode("newInstance", thisDescriptor(host, call.desc),
                RuntimeNames.NEW_INSTANCE, Type.getObjectType(call.owner), call.desc));
        }
        int self = ctor.maxLocals;
        f.instructions.add(new VarInsnNode(Opcodes.ASTORE, self));
        f.instructions.add(new VarInsnNode(Opcodes.ALOAD, self));
        int slot = 1;
        for (Type t : Type.getArgumentTypes(ctor.desc)) {
            f.instructions.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
            slot += t.getSize();
        }
        f.instructions.add(new MethodInsnNode(Opcodes.INVOKESTATIC, ctx.impl(), ImplNames.method("<init>", false),
            ImplNames.descriptor(host, ctor.desc, false), false));
        f.instructions.add(new VarInsnNode(Opcodes.ALOAD, self));
        f.instructions.add(new InsnNode(Opcodes.ARETURN));
        for (TryCatchBlockNode t : ctor.tryCatchBlocks) {
            if (ctor.instructions.indexOf(t.end) <= split) {
                f.tryCatchBlocks.add(new TryCatchBlockNode(labels.get(t.start), labels.get(t.end), labels.get(t.handler),
                    t.type));
            }
        }
        f.maxLocals = self + 1;
        f.maxStack = Math.max(ctor.maxStack, slot + 1);
        return f;
    }

    private static String thisDescriptor(String host, String ctorDesc) {
        Type[] params = Type.getArgumentTypes(ctorDesc);
        Type[] withThis = new Type[params.length + 1];
        withThis[0] = Type.getType(Object.class);
        System.arraycopy(params, 0, withThis, 1, params.length);
        return Type.getMethodDescriptor(Type.getObjectType(host), withThis);
    }

    private static List<Object> thisAsObject(List<Object> types) {
        if (types == null) {
            return null;
        }
        List<Object> out = new ArrayList<>(types);
        out.replaceAll(t -> t == Opcodes.UNINITIALIZED_THIS ? "java/lang/Object" : t);
        return out;
    }
}
