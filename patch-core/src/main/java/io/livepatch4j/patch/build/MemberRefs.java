package io.livepatch4j.patch.build;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.LinkedHashSet;
import java.util.Set;

/** The fields and methods of other classes that a class file's code uses. */
final class MemberRefs {

    record Ref(String owner, String name, String desc, boolean field) {
    }

    private MemberRefs() {}

    static Set<Ref> of(byte[] classBytes) {
        Set<Ref> refs = new LinkedHashSet<>();
        ClassReader r = new ClassReader(classBytes);
        String self = r.getClassName();
        r.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String n, String d) {
                        add(owner, n, d, true);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        add(owner, n, d, false);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                        for (Object a : args) {
                            if (a instanceof Handle h) {
                                add(h.getOwner(), h.getName(), h.getDesc(), h.getTag() <= Opcodes.H_PUTSTATIC);
                            }
                        }
                    }

                    private void add(String owner, String n, String d, boolean field) {
                        if (!owner.equals(self) && !owner.startsWith("[")) {
                            refs.add(new Ref(owner, n, d, field));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return refs;
    }
}
