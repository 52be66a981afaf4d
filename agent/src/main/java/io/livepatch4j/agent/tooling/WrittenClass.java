package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.rewrite.RuntimeNames;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A class the agent wrote (an implementation class, a new class as rewritten) with what defining and
 * linking it needs to know of its code, read in one pass: its methods, its {@code Dispatch} links,
 * the owners its private-member links name, and the lambda bodies it holds. Read where it is written,
 * on an apply worker, so that the steps under the lifecycle lock (define, link, install) read no
 * class file. Immutable.
 */
final class WrittenClass {

    /** One {@code invokedynamic} that links to {@code Dispatch}, in {@code method} (name + descriptor). */
    record Link(String method, String name, String desc, Handle bsm, Object[] args) {
    }

    final byte[] bytes;
    /** Every method, as name + descriptor, in class-file order. */
    final List<String> methods;
    final List<Link> links;
    /** The classes whose private members its {@code Dispatch.privateMember} links use (BootstrapLinks grants them). */
    final Set<String> privateOwners;
    /** The targets of its {@code Dispatch.lambda} links that are its own methods: lambda bodies it holds. */
    final Set<Handle> lambdaBodies;

    private WrittenClass(byte[] bytes, List<String> methods, List<Link> links, Set<String> privateOwners,
                         Set<Handle> lambdaBodies) {
        this.bytes = bytes;
        this.methods = List.copyOf(methods);
        this.links = List.copyOf(links);
        this.privateOwners = Set.copyOf(privateOwners);
        this.lambdaBodies = java.util.Collections.unmodifiableSet(lambdaBodies);
    }

    /**
     * The class whose private member a {@code Dispatch.privateMember} link uses (binary name), or null
     * for any other invokedynamic.
     */
    static String privateMemberOwner(Handle bsm, Object[] args) {
        return bsm.getOwner().equals(RuntimeNames.DISPATCH) && bsm.getName().equals("privateMember")
            && args.length > 0 && args[0] instanceof Type t && t.getSort() == Type.OBJECT ? t.getClassName() : null;
    }

    /** Reads {@code bytes}. */
    static WrittenClass read(byte[] bytes) {
        List<String> methods = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        Set<String> owners = new TreeSet<>();
        Set<Handle> bodies = new LinkedHashSet<>();
        ClassReader reader = new ClassReader(bytes);
        String self = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String methodDesc, String sig, String[] ex) {
                methods.add(method + methodDesc);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                        if (!bsm.getOwner().equals(RuntimeNames.DISPATCH)) {
                            return;
                        }
                        links.add(new Link(method + methodDesc, name, desc, bsm, args));
                        String owner = privateMemberOwner(bsm, args);
                        if (owner != null) {
                            owners.add(owner);
                        }
                        if (bsm.equals(RuntimeNames.LAMBDA) && args.length > 1 && args[1] instanceof Handle h
                            && h.getOwner().equals(self)) {
                            bodies.add(h);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new WrittenClass(bytes, methods, links, owners, bodies);
    }
}
