package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Sha256;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

import java.util.Map;

/**
 * javac's switch maps: for a {@code switch} over an enum, javac makes a synthetic class
 * ({@code Outer$1}) whose static initializer fills one {@code int[] $SwitchMap$...} per enum with
 * the case number of each constant's ordinal. A fix that adds or reorders cases changes that
 * initializer, which never runs again in a loaded class, and the code of the old generation still
 * needs the old numbers. So a patch never changes a switch map: it carries a copy of each map its
 * code uses, as a new class named after the copy's content ({@code Outer$1$lp4j$<hash>}, which
 * javac never makes), and its code is pointed at the copy ({@code ClassRenames}). A map holds only
 * numbers derived from the enums, so a copy is as good as the original, and two patches that carry
 * the same map share one copy.
 */
final class SwitchMaps {

    private SwitchMaps() {}

    /** Whether the class is a switch map: static {@code $SwitchMap$} fields only, nothing but an initializer. */
    static boolean isSwitchMap(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        if ((reader.getAccess() & Opcodes.ACC_SYNTHETIC) == 0) {
            return false; // most classes: no need to read further
        }
        ClassNode node = new ClassNode();
        reader.accept(node, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG);
        return isSwitchMap(node);
    }

    static boolean isSwitchMap(ClassNode c) {
        if (c.fields.isEmpty() || (c.access & Opcodes.ACC_SYNTHETIC) == 0) {
            return false;
        }
        for (FieldNode f : c.fields) {
            if (!f.name.startsWith("$SwitchMap$") || (f.access & Opcodes.ACC_STATIC) == 0 || !"[I".equals(f.desc)) {
                return false;
            }
        }
        return c.methods.stream().allMatch(m -> "<clinit>".equals(m.name) || "<init>".equals(m.name));
    }

    /** The binary name of the copy of {@code name} with these bytes. */
    static String copyName(String name, byte[] bytes) {
        return name + "$lp4j$" + Sha256.hex(bytes).substring(0, 12);
    }

    /**
     * The copy: the map's bytes under {@code copyName}, as a top-level class of its package (it is
     * nobody's nestmate or inner class: the loaded outer class does not list it).
     */
    static byte[] copy(byte[] bytes, String name, String copyName) {
        ClassWriter writer = new ClassWriter(0);
        ClassVisitor detached = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visitNestHost(String nestHost) {
            }

            @Override
            public void visitOuterClass(String owner, String method, String descriptor) {
            }

            @Override
            public void visitInnerClass(String inner, String outer, String innerName, int access) {
            }
        };
        new ClassReader(bytes).accept(new ClassRemapper(detached,
            new SimpleRemapper(Map.of(name.replace('.', '/'), copyName.replace('.', '/')))), 0);
        return writer.toByteArray();
    }
}
