package io.livepatch4j.patch.diff;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MethodBodies#sameCode} compares instructions without writing them as text; it must answer
 * exactly as comparing the {@link MethodBodies#fingerprint}s does. Held to that on real code: every
 * method of java.util and java.util.concurrent against itself read again without debug information
 * (same code, other labels and lines), against its neighbours (different code), and, where another
 * JDK is installed beside this one, against the same method of that JDK's build (the realistic case:
 * two compilations, some bodies equal, many not).
 */
class MethodBodiesTest {

    private static final Path OTHER_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @Test
    void sameCodeAnswersAsTheFingerprintsDoOnTheJdksOwnClasses() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Map<String, ClassNode> classes = read(jrt, 0);
        Map<String, ClassNode> withoutDebug = read(jrt, ClassReader.SKIP_DEBUG);
        int same = 0;
        int compared = 0;
        for (Map.Entry<String, ClassNode> e : classes.entrySet()) {
            List<MethodNode> methods = e.getValue().methods;
            List<MethodNode> stripped = withoutDebug.get(e.getKey()).methods;
            for (int i = 0; i < methods.size(); i++) {
                same += check(methods.get(i), stripped.get(i)) ? 1 : 0;
                check(methods.get(i), methods.get((i + 1) % methods.size()));
                compared += 2;
            }
        }
        assertTrue(compared > 5_000, "compared " + compared);
        assertTrue(same > 1_000, "a body read again without debug information is the same code: " + same);
    }

    @Test
    void sameCodeAnswersAsTheFingerprintsDoAcrossTwoJdkBuilds() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(OTHER_JDK.resolve("lib/jrt-fs.jar")),
            "no second JDK at " + OTHER_JDK);
        Map<String, ClassNode> here = read(FileSystems.getFileSystem(URI.create("jrt:/")), 0);
        Map<String, ClassNode> there;
        try (FileSystem other = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", OTHER_JDK.toString()))) {
            there = read(other, 0);
        }
        int same = 0;
        int different = 0;
        for (Map.Entry<String, ClassNode> e : here.entrySet()) {
            ClassNode o = there.get(e.getKey());
            if (o == null) {
                continue;
            }
            Map<String, MethodNode> byKey = new HashMap<>();
            o.methods.forEach(m -> byKey.put(m.name + m.desc, m));
            for (MethodNode m : e.getValue().methods) {
                MethodNode n = byKey.get(m.name + m.desc);
                if (n != null) {
                    if (check(m, n)) {
                        same++;
                    } else {
                        different++;
                    }
                }
            }
        }
        assertTrue(same > 500 && different > 500, "both answers seen: " + same + " same, " + different + " different");
    }

    /**
     * Every method against a copy with one instruction changed, for each instruction that has an
     * operand: a local's index, a jump's target, a constant, a member's name, a switch's label,
     * an increment, a type. The text sees each change (or, rarely, none); so must the comparison.
     */
    @Test
    void sameCodeSeesEveryOneInstructionChangeTheTextSees() throws IOException {
        Map<String, ClassNode> classes = read(FileSystems.getFileSystem(URI.create("jrt:/")), 0);
        int different = 0;
        for (ClassNode c : classes.values()) {
            for (MethodNode m : c.methods) {
                int size = m.instructions.size();
                for (int i = 0; i < size; i += 7) {
                    MethodNode copy = new MethodNode(org.objectweb.asm.Opcodes.ASM9, m.access, m.name, m.desc, m.signature, null);
                    m.accept(copy);
                    if (mutate(copy, i)) {
                        different += check(m, copy) ? 0 : 1;
                    }
                }
            }
        }
        assertTrue(different > 5_000, "one-instruction changes compared: " + different);
    }

    /** Changes the operand of instruction {@code index} of {@code m}, if it has one; false if not. */
    private static boolean mutate(MethodNode m, int index) {
        org.objectweb.asm.tree.AbstractInsnNode insn = m.instructions.get(index);
        org.objectweb.asm.tree.LabelNode other = null;
        for (org.objectweb.asm.tree.AbstractInsnNode x = m.instructions.getFirst(); x != null; x = x.getNext()) {
            if (x instanceof org.objectweb.asm.tree.LabelNode l) {
                other = l; // the last label of the method
            }
        }
        if (insn instanceof org.objectweb.asm.tree.VarInsnNode v) {
            v.var++;
        } else if (insn instanceof org.objectweb.asm.tree.JumpInsnNode j && other != null && other != j.label) {
            j.label = other;
        } else if (insn instanceof org.objectweb.asm.tree.LdcInsnNode l && l.cst instanceof String str) {
            l.cst = str + "x";
        } else if (insn instanceof org.objectweb.asm.tree.LdcInsnNode l && l.cst instanceof Integer n) {
            l.cst = n.longValue() == 0 ? (Object) 0L : (Object) (n + 1);
        } else if (insn instanceof org.objectweb.asm.tree.FieldInsnNode f) {
            f.name = f.name + "x";
        } else if (insn instanceof org.objectweb.asm.tree.MethodInsnNode mi) {
            mi.itf = !mi.itf;
        } else if (insn instanceof org.objectweb.asm.tree.IincInsnNode inc) {
            inc.incr++;
        } else if (insn instanceof org.objectweb.asm.tree.IntInsnNode n && n.getOpcode() != org.objectweb.asm.Opcodes.NEWARRAY) {
            n.operand++;
        } else if (insn instanceof org.objectweb.asm.tree.TypeInsnNode t) {
            t.desc = t.desc + "X";
        } else if (insn instanceof org.objectweb.asm.tree.TableSwitchInsnNode t && other != null) {
            t.labels.set(0, other);
        } else if (insn instanceof org.objectweb.asm.tree.LookupSwitchInsnNode l && other != null) {
            l.dflt = other;
        } else if (insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode d) {
            d.name = d.name + "x";
        } else if (insn instanceof org.objectweb.asm.tree.InsnNode && m.tryCatchBlocks.size() > 1) {
            m.tryCatchBlocks.get(0).type = m.tryCatchBlocks.get(0).type == null ? "java/lang/Error" : null;
        } else {
            return false;
        }
        return true;
    }

    /**
     * A type annotation on an instruction (a checker's annotation on a cast, as Guava's builds carry
     * them) is in the text, so two bodies that differ only by one are not the same code: the first
     * version of the comparison missed it, and a Guava patch lost 15 changed methods.
     */
    @Test
    void aTypeAnnotationOnAnInstructionIsSeen() {
        String annotation = "@java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE) "
            + "@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME) @interface A {}";
        MethodNode plain = method(io.livepatch4j.patch.Javac.compileAll(Map.of("p.A", "package p; " + annotation,
            "p.C", "package p; class C { Object m(Object x) { return (String) x; } }")).get("p.C"), "m");
        MethodNode annotated = method(io.livepatch4j.patch.Javac.compileAll(Map.of("p.A", "package p; " + annotation,
            "p.C", "package p; class C { Object m(Object x) { return (@A String) x; } }")).get("p.C"), "m");
        assertTrue(annotated.instructions.toArray().length > 0 && java.util.Arrays.stream(annotated.instructions.toArray())
            .anyMatch(i -> i.visibleTypeAnnotations != null), "javac put the annotation on the cast");
        assertEquals(false, check(plain, annotated));
        assertEquals(true, check(annotated, method(io.livepatch4j.patch.Javac.compileAll(Map.of("p.A", "package p; " + annotation,
            "p.C", "package p; class C {\n\n Object m(Object x) {\n return (@A String) x; } }")).get("p.C"), "m")));
    }

    private static MethodNode method(byte[] classBytes, String name) {
        ClassNode c = new ClassNode();
        new ClassReader(classBytes).accept(c, 0);
        return c.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    /** Asserts both ways of comparing agree on {@code a} and {@code b}; returns their answer. */
    private static boolean check(MethodNode a, MethodNode b) {
        boolean text = MethodBodies.fingerprint(a).equals(MethodBodies.fingerprint(b));
        assertEquals(text, MethodBodies.sameCode(a, b), () -> a.name + a.desc + " against " + b.name + b.desc);
        return text;
    }

    private static Map<String, ClassNode> read(FileSystem jrt, int flags) throws IOException {
        Map<String, ClassNode> classes = new HashMap<>();
        for (String pkg : List.of("java/util", "java/util/concurrent")) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(jrt.getPath("/modules/java.base", pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
            }
            for (Path p : files) {
                ClassNode c = new ClassNode();
                new ClassReader(Files.readAllBytes(p)).accept(c, flags);
                classes.put(p.toString().substring("/modules/java.base/".length()), c);
            }
        }
        return classes;
    }
}
