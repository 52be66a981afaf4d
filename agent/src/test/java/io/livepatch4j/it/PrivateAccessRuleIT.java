package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 9: a hand-made patch whose code reads a private member of a class outside its
 * host's nest, one the patch neither changes nor adds, is refused when applied, before anything
 * changes: whether it reads the member directly (which the agent would rewrite into a private
 * lookup) or through its own invokedynamic to Dispatch.privateMember. The JVM runs as before.
 */
class PrivateAccessRuleIT {

    private static final String VAULT = "io/livepatch4j/it/app/Vault";
    /** As RuntimeNames.PRIVATE_MEMBER (whose type the agent jar relocates, so it is spelled out here). */
    private static final Handle PRIVATE_MEMBER = new Handle(Opcodes.H_INVOKESTATIC, "io/livepatch4j/agent/bootstrap/Dispatch",
        "privateMember", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
            + "Ljava/lang/Class;Ljava/lang/String;I)Ljava/lang/invoke/CallSite;", false);

    @Test
    void handMadeIndyToDispatchPrivateMemberOfAnotherClassIsRefusedAndNothingChanges() throws Exception {
        assertRefused(handMade(true));
    }

    @Test
    void handMadeReadOfAnotherClassesPrivateFieldIsRefusedAndNothingChanges() throws Exception {
        assertRefused(handMade(false));
    }

    @Test
    void privateMemberLinkTheAgentNeverGrantedFailsToLink() {
        // Code outside Vault's nest that links to Dispatch.privateMember itself: the bootstrap checks too.
        IllegalAccessException e = assertThrows(IllegalAccessException.class, () -> io.livepatch4j.agent.bootstrap.Dispatch
            .privateMember(java.lang.invoke.MethodHandles.lookup(), "code", java.lang.invoke.MethodType.methodType(String.class),
                io.livepatch4j.it.app.Vault.class, "Ljava/lang/String;", Opcodes.GETSTATIC));
        assertTrue(e.getMessage().contains("may not use io.livepatch4j.it.app.Vault.code"), e.getMessage());
    }

    private static void assertRefused(Patch bad) throws Exception {
        Greeter greeter = new Greeter("p");
        long before = LivePatch.currentGeneration();
        int generations = LivePatch.status().generations().size();
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(bad, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("io.livepatch4j.it.app.Vault.code"), e.getMessage());
        assertTrue(e.getMessage().contains("nor changed or added by the patch"), e.getMessage());
        assertEquals(before, LivePatch.currentGeneration(), "no generation was made");
        assertEquals(generations, LivePatch.status().generations().size(), "history unchanged");
        assertEquals("v1", greeter.first(), "Greeter runs its loaded code");
        assertEquals(List.of(), LivePatch.status().classes().stream()
            .filter(c -> c.name().equals("io.livepatch4j.it.app.Greeter") && c.guard()).toList(), "no guard is on");
    }

    /** Greeter v2 whose first() returns Vault's private static field instead of "v2". */
    private static Patch handMade(boolean indy) {
        Patch good = TestPatches.greeterV2();
        ClassPatch c = good.classes().get(0);
        ClassReader r = new ClassReader(c.targetBytes());
        ClassWriter w = new ClassWriter(r, 0);
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
                return !name.equals("first") ? mv : new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitLdcInsn(Object value) {
                        if (indy) {
                            super.visitInvokeDynamicInsn("code", "()Ljava/lang/String;", PRIVATE_MEMBER,
                                Type.getObjectType(VAULT), "Ljava/lang/String;", Opcodes.GETSTATIC);
                        } else {
                            super.visitFieldInsn(Opcodes.GETSTATIC, VAULT, "code", "Ljava/lang/String;");
                        }
                    }
                };
            }
        }, 0);
        ClassPatch bad = new ClassPatch(c.name(), c.baseSha256(), w.toByteArray(), c.changes());
        return new Patch(good.id() + "-private", good.compiler(), good.createdAt(), good.description(), List.of(bad),
            good.newClasses(), null);
    }
}
