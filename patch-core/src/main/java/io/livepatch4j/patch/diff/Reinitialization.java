package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A class the patch re-initializes ({@code lp4j build --reinitialize}): a loaded class is never
 * initialized again, so state its static initializer built before the patch (a shared default
 * instance, a table of defaults) keeps the old code's answer even when every method is patched.
 * Asked to, the patch gives the new generation fresh static state instead: the class's static fields
 * become shadow statics of the generations that run the patch, and its whole new static initializer
 * runs once when the patch is applied, in the new generation. Code of the old generation keeps the
 * fields as they were (a rollback brings them back unchanged); every class of the new build that
 * reads or writes them is patched to use the shadow (its {@link #readers}).
 *
 * <p>Compile-time constants (javac inlines them) and javac's assertion switch keep their fields.
 */
public final class Reinitialization {

    private Reinitialization() {}

    /** The static fields ({@code name:desc}) that the new generation holds apart when {@code c} is re-initialized. */
    public static Set<String> fields(ClassNode c) {
        Set<String> fields = new LinkedHashSet<>();
        for (FieldNode f : c.fields) {
            boolean constant = (f.access & Opcodes.ACC_FINAL) != 0 && f.value != null;
            if ((f.access & Opcodes.ACC_STATIC) != 0 && !constant && !AssertionSwitch.FIELD.equals(f.name)) {
                fields.add(f.name + ":" + f.desc);
            }
        }
        return fields;
    }

    public static Set<String> fields(byte[] classFile) {
        return fields(ClassDiff.read(classFile));
    }

    /** Why {@code c} cannot be re-initialized, or null if it can. */
    public static String refusal(ClassNode c) {
        if ((c.access & Opcodes.ACC_INTERFACE) != 0) {
            return "it is an interface, whose static fields the patched code cannot hold apart";
        }
        if ((c.access & Opcodes.ACC_ENUM) != 0 || "java/lang/Enum".equals(c.superName)) {
            return "it is an enum: re-initializing would make a second set of its constants, which code compares "
                + "by identity with the ones that exist";
        }
        return null;
    }

    /**
     * The methods of {@code user} that read or write a re-initialized field, named through one of
     * {@code owners} (internal names: the class and its subclasses, since javac names a static field
     * by the type the source qualified it with), each with the first such field ({@code name:desc});
     * empty if none does.
     */
    public static Map<String, String> readers(ClassNode user, Set<String> owners, Set<String> fields) {
        Map<String, String> methods = new TreeMap<>();
        for (MethodNode m : user.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof FieldInsnNode f && owners.contains(f.owner)
                    && (f.getOpcode() == Opcodes.GETSTATIC || f.getOpcode() == Opcodes.PUTSTATIC)
                    && fields.contains(f.name + ":" + f.desc)) {
                    methods.putIfAbsent(m.name + m.desc, f.name + ":" + f.desc);
                    break;
                }
            }
        }
        return methods;
    }
}
