package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Private members of a class other than the host, reached by patched code or by a class the patch
 * adds (a new nested class reading its outer class's fields, say), and package-private members of a
 * class in another package (the new build widened their access; the loaded member keeps its own). Java grants such access to
 * nestmates, but a loaded class's nest cannot grow, so {@code Dispatch.privateMember} links the
 * access through the owner's private lookup, which the agent's runtime may take.
 *
 * <p>That lookup would reach any class, so the rewrite grants it only where it gives the patch no
 * access it does not have anyway (issue 14, item 9): to the host's own nest (the owner and the host
 * share a nest host, as the JVM has them loaded), and to the classes the patch changes or adds (it
 * could replace their code). Anything else is a {@link RewriteException}: refused at build time and,
 * since the agent runs the same rewrite before anything changes, when the patch is applied. An
 * {@code invokedynamic} to {@code Dispatch.privateMember} in the patch's own code (hand-made: javac
 * never writes one) is held to the same rule.
 */
final class PrivateAccess extends MethodVisitor {

    private final RewriteContext ctx;

    PrivateAccess(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, org.objectweb.asm.Handle bsm, Object... args) {
        if (bsm.getOwner().equals(RuntimeNames.DISPATCH) && bsm.getName().equals("privateMember")) {
            String owner = args.length > 0 && args[0] instanceof Type t && t.getSort() == Type.OBJECT
                ? t.getInternalName() : String.valueOf(args.length > 0 ? args[0] : null);
            requireAllowed(owner, name);
        }
        super.visitInvokeDynamicInsn(name, desc, bsm, args);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        if (elsewhere(owner, name, desc, true)) {
            String type = MemberAccess.fieldType(opcode, owner, desc);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.PRIVATE_MEMBER, Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        if (opcode != Opcodes.INVOKESPECIAL && !"<init>".equals(name) && elsewhere(owner, name, desc, false)) {
            String type = MemberAccess.methodType(opcode, owner, desc);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.PRIVATE_MEMBER, Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }

    private boolean elsewhere(String owner, String name, String desc, boolean field) {
        if (owner.equals(ctx.host()) || ctx.resolver() == null || owner.startsWith("[")) {
            return false;
        }
        MemberResolver.Resolved r = ctx.resolver().resolve(owner, name, desc, field);
        if (r == null || r.declaringClass().equals(ctx.host())) {
            return false;
        }
        boolean packagePrivate = (r.access() & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE)) == 0;
        // Package-private in another package: the new build made it wider, the loaded member is not.
        boolean rewrite = (r.access() & Opcodes.ACC_PRIVATE) != 0
            || packagePrivate && !packageOf(r.declaringClass()).equals(packageOf(ctx.host()));
        if (rewrite) {
            requireAllowed(r.declaringClass(), name);
        }
        return rewrite;
    }

    /**
     * The owner's private lookup is granted within the host's nest and to classes the patch changes
     * or adds; anything else is refused, naming the member and what to do.
     */
    private void requireAllowed(String owner, String member) {
        if (allowed(ctx, owner)) {
            return;
        }
        String host = ctx.host().replace('/', '.');
        String cls = owner.replace('/', '.');
        throw new RewriteException(host + ": its code uses " + cls + "." + member + ", which " + cls + " does not "
            + "let " + host + " use (private, or package-private in another package, in the loaded class) and "
            + cls + " is neither in the nest of " + host + " nor changed or added by the patch; the agent gives "
            + "patched code private access only within its host's nest and to the classes the patch carries; "
            + "include " + cls + " in the patch (--only, --closure), or use a member it makes accessible");
    }

    /** Whether patched code of {@code ctx.host()} may use private members of {@code owner} (see the class comment). */
    static boolean allowed(RewriteContext ctx, String owner) {
        if (owner.equals(ctx.host())) {
            return true;
        }
        PatchShape shape = ctx.shape();
        if (shape != null && (shape.entry(owner) != null || shape.isNewClass(owner))) {
            return true;
        }
        MemberResolver r = ctx.resolver();
        String ownerNest = r == null ? null : r.nestHost(owner);
        return ownerNest != null && ownerNest.equals(r.nestHost(ctx.host()));
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
