package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.build.Builds;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A patch lp4j build wrote from a real release pair (guava 31.1 -> 32.0.0, the temp-directory
 * permissions fix, CVE-2023-2976) with --only links: every class its code names is in the patch,
 * the old build or the JDK, and every method and field it uses exists there. This is checked here
 * independently of the builder's own LinkCheck, on the patch file as written.
 */
class RealPairReferencesIT {

    static final Path GUAVA = Path.of(System.getProperty("lp4j.guava.dir", "target/guava"));

    @Test
    void everyReferenceOfAPatchBuiltWithOnlyFromARealPairResolves() throws Exception {
        Path out = Files.createTempDirectory("lp4j-guava").resolve("guava.lp4j");
        Path old = GUAVA.resolve("guava-31.1-jre.jar");
        Cli.Result r = Cli.run("build", "--old", old.toString(), "--new", GUAVA.resolve("guava-32.0.0-jre.jar").toString(),
            "--only", "com.google.common.io.Files", "--only", "com.google.common.hash.Hashing", "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        Patch patch = PatchFormat.read(out);
        Map<String, byte[]> running = Builds.read(old);

        Map<String, byte[]> inPatch = new HashMap<>();
        for (ClassPatch c : patch.classes()) {
            inPatch.put(c.name().replace('.', '/'), c.targetBytes());
        }
        for (NewClass c : patch.newClasses()) {
            inPatch.put(c.name().replace('.', '/'), c.bytes());
        }
        assertTrue(inPatch.containsKey("com/google/common/hash/Hashing$Crc32CSupplier$1"),
            "the added enum's constant body comes with it (the NoClassDefFoundError users met)");
        assertTrue(inPatch.containsKey("com/google/common/io/TempFileCreator$JavaNioCreator"), inPatch.keySet().toString());

        Map<String, ClassNode> after = new HashMap<>();
        List<String> missing = new ArrayList<>();
        Set<String> outside = new LinkedHashSet<>();
        for (Map.Entry<String, byte[]> e : inPatch.entrySet()) {
            ClassNode c = node(e.getValue());
            List<String> types = new ArrayList<>();
            if (c.superName != null) {
                types.add(c.superName);
            }
            types.addAll(c.interfaces);
            for (MethodNode m : c.methods) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof TypeInsnNode t) {
                        types.add(t.desc);
                    } else if (insn instanceof LdcInsnNode l && l.cst instanceof Type t && t.getSort() == Type.OBJECT) {
                        types.add(t.getInternalName());
                    } else if (insn instanceof MethodInsnNode mi && !mi.owner.startsWith("[")) {
                        types.add(mi.owner);
                        check(mi.owner, mi.name + mi.desc, false, inPatch, running, after, missing, e.getKey(), outside);
                    } else if (insn instanceof FieldInsnNode fi) {
                        types.add(fi.owner);
                        check(fi.owner, fi.name + ":" + fi.desc, true, inPatch, running, after, missing, e.getKey(), outside);
                    }
                }
            }
            for (String t : types) {
                String name = t.startsWith("[") ? Type.getType(t).getElementType().getInternalName() : t;
                if (name.length() > 1 && lookup(name, inPatch, running, after) == null) {
                    if (name.startsWith("com/google/common/")) {
                        missing.add(e.getKey() + " -> class " + name);
                    } else {
                        outside.add(name); // a dependency of guava's, outside both builds (failureaccess, say)
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), "references the JVM could not resolve after the apply:\n" + String.join("\n", missing));
        assertTrue(outside.stream().allMatch(n -> n.startsWith("com/google/common/util/concurrent/internal/")),
            "only guava's failureaccess library is outside both builds: " + outside);
    }

    private static void check(String owner, String member, boolean field, Map<String, byte[]> inPatch,
                              Map<String, byte[]> running, Map<String, ClassNode> after, List<String> missing,
                              String user, Set<String> outside) {
        ClassNode c = lookup(owner, inPatch, running, after);
        if (c == null) {
            return; // reported as a class
        }
        Boolean found = resolves(c, member, field, inPatch, running, after, new LinkedHashSet<>());
        if (Boolean.FALSE.equals(found)) {
            missing.add(user + " -> " + owner + "#" + member);
        }
    }

    private static Boolean resolves(ClassNode c, String member, boolean field, Map<String, byte[]> inPatch,
                                    Map<String, byte[]> running, Map<String, ClassNode> after, Set<String> seen) {
        if (!seen.add(c.name)) {
            return false;
        }
        boolean polymorphic = c.name.equals("java/lang/invoke/MethodHandle") || c.name.equals("java/lang/invoke/VarHandle");
        if (field ? c.fields.stream().anyMatch(f -> (f.name + ":" + f.desc).equals(member))
            : c.methods.stream().anyMatch(m -> (m.name + m.desc).equals(member)
                || polymorphic && member.startsWith(m.name + "("))) {
            return true;
        }
        List<String> supers = new ArrayList<>(c.interfaces);
        if (c.superName != null) {
            supers.add(0, c.superName);
        }
        boolean unknown = false;
        for (String s : supers) {
            ClassNode sup = lookup(s, inPatch, running, after);
            Boolean r = sup == null ? null : resolves(sup, member, field, inPatch, running, after, seen);
            if (r == null) {
                unknown = true;
            } else if (r) {
                return true;
            }
        }
        return unknown ? null : false;
    }

    /** The class as the JVM has it after the apply: the patch's version, the running one, or the JDK's. */
    private static ClassNode lookup(String name, Map<String, byte[]> inPatch, Map<String, byte[]> running,
                                    Map<String, ClassNode> after) {
        if (after.containsKey(name)) {
            return after.get(name);
        }
        byte[] bytes = inPatch.containsKey(name) ? inPatch.get(name) : running.get(name.replace('/', '.'));
        if (bytes == null) {
            try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(name + ".class")) {
                bytes = in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                bytes = null;
            }
        }
        ClassNode c = bytes == null ? null : node(bytes);
        after.put(name, c);
        return c;
    }

    private static ClassNode node(byte[] bytes) {
        ClassNode c = new ClassNode();
        new ClassReader(bytes).accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return c;
    }
}
