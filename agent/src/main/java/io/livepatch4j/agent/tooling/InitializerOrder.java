package io.livepatch4j.agent.tooling;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The order in which the new static initializers of a patch run at apply: each after those of the
 * patched classes its version's code uses, as the JVM initializes a class on first use. In the
 * patch's own order, guava 32's PublicSuffixPatterns initializer ran first and called TrieParser's
 * new code, which read TrieParser's new static field before TrieParser's initializer had set it
 * (NullPointerException, and the apply was refused). Classes that use each other keep the order in
 * which the JVM would meet them: the one reached from the other runs first.
 */
final class InitializerOrder {

    private InitializerOrder() {}

    /**
     * @param tasks one per class, in the patch's order
     * @param name  the internal name of a task's class
     * @param code  the class file of a task's version
     */
    static <T> List<T> of(List<T> tasks, Function<T, String> name, Function<T, byte[]> code) {
        Map<String, T> byName = new LinkedHashMap<>();
        tasks.forEach(t -> byName.put(name.apply(t), t));
        List<T> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (T t : tasks) {
            place(name.apply(t), byName, code, placed, new HashSet<>(), ordered);
        }
        return ordered;
    }

    private static <T> void place(String cls, Map<String, T> byName, Function<T, byte[]> code, Set<String> placed,
                                  Set<String> visiting, List<T> ordered) {
        if (placed.contains(cls) || !visiting.add(cls)) {
            return; // placed, or a cycle: the class being placed already started, as its initializer would have
        }
        T task = byName.get(cls);
        for (String used : usedClasses(code.apply(task))) {
            if (byName.containsKey(used)) {
                place(used, byName, code, placed, visiting, ordered);
            }
        }
        placed.add(cls);
        ordered.add(task);
    }

    /** The classes the code uses in a way that initializes them: static members, instances made, in the order met. */
    static Set<String> usedClasses(byte[] classFile) {
        Set<String> used = new LinkedHashSet<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        if (opcode == Opcodes.INVOKESTATIC) {
                            used.add(owner);
                        }
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String n, String d) {
                        if (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) {
                            used.add(owner);
                        }
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        if (opcode == Opcodes.NEW) {
                            used.add(type);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return used;
    }
}
