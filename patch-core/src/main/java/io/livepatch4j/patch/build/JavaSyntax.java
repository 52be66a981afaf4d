package io.livepatch4j.patch.build;

import io.livepatch4j.patch.ChangeKind;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Members as a person reads them in the source: {@code public String replace(String source)} for
 * {@code replace(Ljava/lang/String;)Ljava/lang/String;}, with the first line of a method's code
 * where the class file has line numbers. Parameter names come from -parameters or the local
 * variable table; without either, types alone.
 */
public final class JavaSyntax {

    /** One member as declared: its text and the first line of its code (0 when unknown). */
    public record Declaration(String text, int line) {
    }

    private final Map<String, Declaration> members = new HashMap<>();
    private final String simpleName;

    private JavaSyntax(byte[] classBytes) {
        ClassNode c = new ClassNode();
        new ClassReader(classBytes).accept(c, ClassReader.SKIP_FRAMES);
        String name = c.name.substring(c.name.lastIndexOf('/') + 1);
        simpleName = name.substring(name.lastIndexOf('$') + 1);
        for (MethodNode m : c.methods) {
            members.put(m.name + m.desc, new Declaration(method(m), firstLine(m)));
        }
        for (FieldNode f : c.fields) {
            members.put(f.name + ":" + f.desc, new Declaration(modifiers(f.access, true)
                + type(Type.getType(f.desc)) + " " + f.name, 0));
        }
    }

    /** The members of one class file. */
    public static JavaSyntax of(byte[] classBytes) {
        return new JavaSyntax(classBytes);
    }

    /** The declaration of {@code member} ({@code name+desc} or {@code name:desc}), or a rendering of the key alone. */
    public Declaration declaration(String member) {
        Declaration d = members.get(member);
        return d != null ? d : new Declaration(member.contains("(") ? methodName(member) : fieldName(member), 0);
    }

    /** Whether the class file declares {@code member}. */
    public boolean declares(String member) {
        return members.containsKey(member);
    }

    /** What a change kind means in words, for the report. */
    public static String verb(ChangeKind kind) {
        // By name, with a default: the change kinds grow with the patch format (MODIFIERS, STATIC_INITIALIZER).
        return switch (kind.name()) {
            case "METHOD_BODY", "STATIC_INITIALIZER" -> "changed";
            case "METHOD_ADDED", "FIELD_ADDED" -> "added";
            case "METHOD_REMOVED", "FIELD_REMOVED" -> "removed";
            case "CLASS_ADDED" -> "new class";
            case "MODIFIERS" -> "modifiers";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    /** {@code replace(String)} for {@code replace(Ljava/lang/String;)Ljava/lang/String;}. */
    public static String methodName(String member) {
        int paren = member.indexOf('(');
        if (paren < 0) {
            return member;
        }
        String name = member.substring(0, paren);
        StringBuilder b = new StringBuilder(name).append('(');
        Type[] args = Type.getArgumentTypes(member.substring(paren));
        for (int i = 0; i < args.length; i++) {
            b.append(i == 0 ? "" : ", ").append(type(args[i]));
        }
        return b.append(')').toString();
    }

    private static String fieldName(String member) {
        int colon = member.indexOf(':');
        return colon < 0 ? member : type(Type.getType(member.substring(colon + 1))) + " " + member.substring(0, colon);
    }

    private String method(MethodNode m) {
        Type[] args = Type.getArgumentTypes(m.desc);
        List<String> names = parameterNames(m, args);
        boolean init = m.name.equals("<init>");
        StringBuilder b = new StringBuilder(modifiers(m.access, false));
        if (m.name.equals("<clinit>")) {
            return "static initializer";
        }
        if (!init) {
            b.append(type(Type.getReturnType(m.desc))).append(' ');
        }
        b.append(init ? simpleName : m.name).append('(');
        for (int i = 0; i < args.length; i++) {
            b.append(i == 0 ? "" : ", ").append(type(args[i]));
            if (names.get(i) != null) {
                b.append(' ').append(names.get(i));
            }
        }
        b.append(')');
        if (m.name.startsWith("lambda$")) {
            b.append(" (a lambda body)");
        }
        return b.toString();
    }

    private static List<String> parameterNames(MethodNode m, Type[] args) {
        List<String> names = new ArrayList<>();
        if (m.parameters != null && m.parameters.size() == args.length) {
            m.parameters.forEach(p -> names.add(p.name));
            return names;
        }
        int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (Type a : args) {
            String found = null;
            if (m.localVariables != null) {
                for (LocalVariableNode v : m.localVariables) {
                    if (v.index == slot && !v.name.startsWith("this")) {
                        found = v.name;
                        break;
                    }
                }
            }
            names.add(found);
            slot += a.getSize();
        }
        return names;
    }

    private static int firstLine(MethodNode m) {
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof LineNumberNode l) {
                return l.line;
            }
        }
        return 0;
    }

    private static String modifiers(int access, boolean field) {
        StringBuilder b = new StringBuilder();
        if ((access & Opcodes.ACC_PUBLIC) != 0) {
            b.append("public ");
        } else if ((access & Opcodes.ACC_PROTECTED) != 0) {
            b.append("protected ");
        } else if ((access & Opcodes.ACC_PRIVATE) != 0) {
            b.append("private ");
        }
        if ((access & Opcodes.ACC_STATIC) != 0) {
            b.append("static ");
        }
        if ((access & Opcodes.ACC_FINAL) != 0) {
            b.append("final ");
        }
        if (!field && (access & Opcodes.ACC_SYNCHRONIZED) != 0) {
            b.append("synchronized ");
        }
        if (field && (access & Opcodes.ACC_VOLATILE) != 0) {
            b.append("volatile ");
        }
        return b.toString();
    }

    /** A type as written in source: {@code String}, {@code int[]}, {@code Map.Entry}. */
    static String type(Type t) {
        if (t.getSort() == Type.ARRAY) {
            return type(t.getElementType()) + "[]".repeat(t.getDimensions());
        }
        String n = t.getClassName();
        n = n.substring(n.lastIndexOf('.') + 1);
        return n.replace('$', '.');
    }
}
