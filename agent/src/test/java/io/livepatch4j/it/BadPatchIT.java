package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad patch is refused with a message that names the class, the member and the reason; nothing changes. */
class BadPatchIT {

    private final Greeter greeter = new Greeter("b");
    private ExecutorService pool;
    private long generationBefore;
    private int generationsBefore;

    @BeforeEach
    void recordState() {
        pool = Executors.newFixedThreadPool(2);
        generationBefore = LivePatch.currentGeneration();
        generationsBefore = LivePatch.status().generations().size();
    }

    @AfterEach
    void jvmBehavesExactlyAsBefore() throws Exception {
        assertEquals(generationBefore, LivePatch.currentGeneration(), "no generation was made");
        assertEquals(generationsBefore, LivePatch.status().generations().size(), "history unchanged");
        assertEquals("v1+v1", pool.submit(greeter::pair).get());
        assertEquals("hello b from v1", greeter.greet());
        assertEquals(List.of(), LivePatch.status().classes().stream().filter(c -> c.guard()).toList(), "no guard is on");
        pool.shutdownNow();
    }

    @Test
    void patchBuiltAgainstOtherBytesIsRefused() {
        Patch good = TestPatches.greeterV2();
        ClassPatch c = good.classes().get(0);
        Patch other = withClass(good, new ClassPatch(c.name(), "0".repeat(64), c.targetBytes(), c.changes()));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(other, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("io.livepatch4j.it.app.Greeter"), e.getMessage());
        assertTrue(e.getMessage().contains("built against class bytes with SHA-256 000000000000"), e.getMessage());
    }

    @Test
    void classesOfTheJdkAreRefusedByNameBeforeAnythingIsLookedUp() throws Exception {
        // javax.crypto is no java.* package: the JDK's modules say whose it is (issue 14, item 12).
        byte[] cipher;
        try (var in = ClassLoader.getSystemResourceAsStream("javax/crypto/Cipher.class")) {
            cipher = in.readAllBytes();
        }
        Patch good = TestPatches.greeterV2();
        Patch jdk = new Patch(good.id(), good.compiler(), good.createdAt(), good.description(),
            List.of(good.classes().get(0), new ClassPatch("javax.crypto.Cipher", io.livepatch4j.patch.Sha256.hex(cipher),
                cipher, List.of())),
            List.of(new io.livepatch4j.patch.NewClass("java.lang.Planted", cipher)), null);
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(jdk, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("javax.crypto.Cipher: this class cannot be patched: it is a class of the JDK "
            + "(module java.base)"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Planted: a patch cannot add this class"), e.getMessage());
        assertTrue(!e.getMessage().contains("Greeter"), "refused by name, before the other classes were planned: "
            + e.getMessage());
    }

    @Test
    void bytesThatFailVerificationAreRefusedNamingTheMethod() {
        Patch good = TestPatches.greeterV2();
        ClassPatch c = good.classes().get(0);
        byte[] broken = returnIntFromFirst(c.targetBytes());
        Patch bad = withClass(good, new ClassPatch(c.name(), c.baseSha256(), broken, c.changes()));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(bad, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("io.livepatch4j.it.app.Greeter#first()Ljava/lang/String;"), e.getMessage());
        assertTrue(e.getMessage().contains("fails verification"), e.getMessage());
    }

    @Test
    void fieldLayoutChangeIsRefusedNamingTheField() {
        // A field that becomes static: code outside the patch reaches it the old way (a re-typed field is
        // patchable since issue 13: a shadow field beside the old one).
        String restaticked = TestPatches.source("Greeter.java")
            .replace("private final String name;", "private static String name;")
            .replace("this.name = name;", "Greeter.name = name;");
        Patch p = TestPatches.build("greeter-static-field", Map.of("io.livepatch4j.it.app.Greeter", restaticked));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(p, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("io.livepatch4j.it.app.Greeter#name:Ljava/lang/String;"), e.getMessage());
        assertTrue(e.getMessage().contains("the field became static"), e.getMessage());
    }

    @Test
    void patchWhoseBootstrapLinkFailsIsRefusedAtInstallNamingClassMemberAndReason() throws Exception {
        String source = TestPatches.source("Greeter.java").replaceFirst("return \"v2\";",
            "return \"v2 \" + super.toString();");
        Patch good = TestPatches.build("greeter-super", Map.of("io.livepatch4j.it.app.Greeter", source));
        ClassPatch c = good.classes().get(0);
        // Well-formed and verifiable, but java.lang.Object has no toStrinG(): only linking finds out.
        Patch bad = withClass(good, new ClassPatch(c.name(), c.baseSha256(), renameSuperCall(c.targetBytes()), c.changes()));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(bad, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("io.livepatch4j.it.app.Greeter"), e.getMessage());
        assertTrue(e.getMessage().contains("in first()Ljava/lang/String;"), e.getMessage());
        assertTrue(e.getMessage().contains("super.toStrinG"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchMethodException"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    }

    @Test
    void recordConstructorThatWritesItsFieldsIsRefusedAndConstructionStillWorks() throws Exception {
        Patch p = TestPatches.build("label-lower", Map.of("io.livepatch4j.it.app.Label",
            "package io.livepatch4j.it.app; public record Label(String text) { public Label { text = text.trim().toLowerCase(); } }"));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(p, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("io.livepatch4j.it.app.Label#<init>(Ljava/lang/String;)V"), e.getMessage());
        assertTrue(e.getMessage().contains("record"), e.getMessage());
        assertEquals("a", pool.submit(() -> new io.livepatch4j.it.app.Label(" a ").text()).get(),
            "constructing the record still works after the refused patch");
    }

    @Test
    void corruptedAndTruncatedPatchFilesAreRefused() throws Exception {
        byte[] file = PatchFormat.toBytes(TestPatches.greeterV2());
        PatchException truncated = assertThrows(PatchException.class,
            () -> LivePatch.apply(Arrays.copyOf(file, file.length / 2), "half.lp4j", Strategy.LOCAL));
        assertTrue(truncated.getMessage().contains("half.lp4j"), truncated.getMessage());
        byte[] flipped = file.clone();
        flipped[flipped.length / 3] ^= 0x5a;
        assertThrows(PatchException.class, () -> LivePatch.apply(flipped, "flipped.lp4j", Strategy.LOCAL));
        assertThrows(PatchException.class, () -> LivePatch.apply(new byte[] {1, 2, 3}, "junk.lp4j", Strategy.LOCAL));
    }

    private static Patch withClass(Patch p, ClassPatch c) {
        return new Patch(p.id(), p.compiler(), p.createdAt(), p.description(), List.of(c), p.newClasses(), null);
    }

    /** first()'s super.toString() call names a method java.lang.Object does not have. */
    private static byte[] renameSuperCall(byte[] bytes) {
        ClassReader r = new ClassReader(bytes);
        ClassWriter w = new ClassWriter(r, 0);
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
                return !name.equals("first") ? mv : new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                        super.visitMethodInsn(op, owner, op == Opcodes.INVOKESPECIAL && n.equals("toString") ? "toStrinG" : n,
                            d, itf);
                    }
                };
            }
        }, 0);
        return w.toByteArray();
    }

    /** first() pushes an int and returns it as a String: well-formed, but the verifier rejects it. */
    private static byte[] returnIntFromFirst(byte[] bytes) {
        ClassReader r = new ClassReader(bytes);
        ClassWriter w = new ClassWriter(r, 0);
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
                if (!name.equals("first")) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitLdcInsn(Object value) {
                        super.visitInsn(Opcodes.ICONST_0);
                    }
                };
            }
        }, 0);
        return w.toByteArray();
    }
}
