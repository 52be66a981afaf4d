package io.livepatch4j.bench.callcost;

import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassDiff;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * A patch whose v2 is the loaded class with one int constant of one method changed: the same code,
 * so the patched body costs what the original costs, and no second compilation is needed. Used by
 * the call-cost and the safepoint benchmarks, which apply it through the agent's MXBean, so as a
 * file ({@link #file}).
 */
public final class ConstantPatch {

    private ConstantPatch() {}

    /** A patch changing {@code from} to {@code to} in {@code type.method}, based on the class file on the class path. */
    public static Patch build(String id, Class<?> type, String method, int from, int to) {
        byte[] v1 = classFile(type);
        byte[] v2 = swap(v1, method, from, to);
        ClassDiff.Result diff = ClassDiff.compare(v1, v2);
        if (!diff.refusals().isEmpty() || diff.changes().isEmpty()) {
            throw new IllegalStateException("the v2 of " + type.getName() + " is not a body-only change: "
                + diff.refusals() + " " + diff.changes());
        }
        ClassPatch cp = new ClassPatch(type.getName(), Sha256.hex(v1), v2, diff.changes());
        return new Patch(id, "livepatch4j benchmarks", Instant.now().toString(),
            type.getSimpleName() + "." + method + ": constant " + from + " becomes " + to, List.of(cp), List.of(), null);
    }

    /** {@link #build}'s patch written to a temporary file, deleted when the JVM exits. */
    public static java.nio.file.Path file(String id, Class<?> type, String method, int from, int to) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile(id, ".lp4j");
            f.toFile().deleteOnExit();
            io.livepatch4j.patch.PatchFormat.write(build(id, type, method, from, to), f);
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the benchmark's patch: " + e.getMessage(), e);
        }
    }

    /** The class bytes with every {@code ldc from} in methods named {@code method} replaced; exactly one must exist. */
    public static byte[] swap(byte[] classFile, String method, int from, int to) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        int[] swapped = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.equals(method)) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitLdcInsn(Object value) {
                        if (Integer.valueOf(from).equals(value)) {
                            swapped[0]++;
                            super.visitLdcInsn(to);
                        } else {
                            super.visitLdcInsn(value);
                        }
                    }
                };
            }
        }, 0);
        if (swapped[0] != 1) {
            throw new IllegalArgumentException("expected one 'ldc " + from + "' in " + method + ", found " + swapped[0]);
        }
        return writer.toByteArray();
    }

    /** The class file of a class, from its loader (the bytes the agent checks a patch's base against). */
    public static byte[] classFile(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class file " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
