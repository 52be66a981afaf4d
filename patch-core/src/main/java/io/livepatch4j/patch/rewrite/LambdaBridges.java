package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.Sha256;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.nio.charset.StandardCharsets;

/**
 * The bridge of a lambda whose body a patch added: a tiny named class in the host's package with
 * one static method, {@code call(MethodHandle creatorsBody, args...)}, that runs the body of the
 * calling thread's generation through the host's dispatch site for that lambda, or the creator's
 * body where that generation has none. Lambda objects are spun against the bridge, never against a
 * hidden implementation class: JDK 17 to 22 cannot spin a lambda whose method is in a hidden class
 * (JDK-8330467), and a lambda class that named an implementation class would keep that generation
 * loaded. A method handle proxy would do as well on every JDK, but on JDK 17 each call of one goes
 * through reflection and boxes its arguments; a spun lambda calling a static method is an ordinary
 * call the JIT inlines. One bridge per lambda and host, defined once, as a lambda body is identified
 * by its name in the host (see {@code LambdaPairing}).
 */
public final class LambdaBridges {

    public static final String METHOD = "call";

    private LambdaBridges() {}

    /** The bridge's internal name for the host's lambda body {@code name + desc}. */
    public static String className(String host, String name, String desc, boolean isStatic) {
        String hash = Sha256.hex((name + desc + isStatic).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
        return host + "$$Lp4jLambda$" + name.replaceAll("[^A-Za-z0-9_$]", "_") + "$" + hash;
    }

    /** Whether a class is a lambda bridge: the agent's own, never prepared for patching. */
    public static boolean isBridge(String internalName) {
        return internalName.contains("$$Lp4jLambda$");
    }

    /** {@link #METHOD}'s descriptor: the creator's body, then the body's own (static) parameters. */
    public static String descriptor(String host, String desc, boolean isStatic) {
        String implDesc = ImplNames.descriptor(host, desc, isStatic);
        return "(Ljava/lang/invoke/MethodHandle;" + implDesc.substring(1);
    }

    /** The bridge class for the host's lambda body {@code name + desc}. */
    public static byte[] write(String host, String name, String desc, boolean isStatic) {
        String callDesc = descriptor(host, desc, isStatic);
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
            className(host, name, desc, isStatic), null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, METHOD,
            callDesc, null, null);
        mv.visitCode();
        int slot = 0;
        for (Type t : Type.getArgumentTypes(callDesc)) {
            mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
            slot += t.getSize();
        }
        mv.visitInvokeDynamicInsn(METHOD, callDesc, RuntimeNames.LAMBDA_BODY, Type.getObjectType(host), name, desc,
            isStatic ? RuntimeNames.FLAG_STATIC : 0);
        mv.visitInsn(Type.getReturnType(callDesc).getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
