package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The serialVersionUID that serialization computes for a class that declares none, as
 * {@code java.io.ObjectStreamClass} computes it (Java Object Serialization Specification, 4.6): a
 * hash of the class's name, modifiers, interfaces, non-private members and whether it has a static
 * initializer. A patch cannot change the loaded class's members, so where the new build's hash
 * differs, serialization in the patched JVM keeps the old one.
 */
public final class SerialUids {

    private static final int CLASS_MODS = Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT;
    private static final int FIELD_MODS = Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED
        | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_VOLATILE | Opcodes.ACC_TRANSIENT;
    private static final int METHOD_MODS = Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED
        | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNCHRONIZED | Opcodes.ACC_NATIVE
        | Opcodes.ACC_ABSTRACT | Opcodes.ACC_STRICT;

    private SerialUids() {}

    /**
     * Whether the class is serializable by what its own class file says (it implements Serializable
     * or Externalizable itself; one that inherits it is not seen), and computes a default UID (not an
     * enum or a record, whose UID is 0).
     */
    public static boolean serializable(ClassNode c) {
        return (c.interfaces.contains("java/io/Serializable") || c.interfaces.contains("java/io/Externalizable"))
            && (c.access & (Opcodes.ACC_ENUM | Opcodes.ACC_RECORD)) == 0;
    }

    public static long defaultUid(ClassNode c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(c.name.replace('/', '.'));
            int mods = classAccess(c) & CLASS_MODS;
            boolean hasMethods = c.methods.stream().anyMatch(m -> !m.name.startsWith("<"));
            if ((mods & Opcodes.ACC_INTERFACE) != 0) {
                mods = hasMethods ? mods | Opcodes.ACC_ABSTRACT : mods & ~Opcodes.ACC_ABSTRACT;
            }
            out.writeInt(mods);
            List<String> interfaces = new ArrayList<>();
            c.interfaces.forEach(i -> interfaces.add(i.replace('/', '.')));
            interfaces.sort(null);
            for (String i : interfaces) {
                out.writeUTF(i);
            }
            List<FieldNode> fields = new ArrayList<>(c.fields);
            fields.sort(Comparator.comparing(f -> f.name));
            for (FieldNode f : fields) {
                int fm = f.access & FIELD_MODS;
                if ((fm & Opcodes.ACC_PRIVATE) == 0 || (fm & (Opcodes.ACC_STATIC | Opcodes.ACC_TRANSIENT)) == 0) {
                    out.writeUTF(f.name);
                    out.writeInt(fm);
                    out.writeUTF(f.desc);
                }
            }
            if (c.methods.stream().anyMatch(m -> "<clinit>".equals(m.name))) {
                out.writeUTF("<clinit>");
                out.writeInt(Opcodes.ACC_STATIC);
                out.writeUTF("()V");
            }
            List<MethodNode> ctors = new ArrayList<>();
            List<MethodNode> methods = new ArrayList<>();
            for (MethodNode m : c.methods) {
                if ("<init>".equals(m.name)) {
                    ctors.add(m);
                } else if (!"<clinit>".equals(m.name)) {
                    methods.add(m);
                }
            }
            ctors.sort(Comparator.comparing(m -> m.desc));
            for (MethodNode m : ctors) {
                int mm = m.access & METHOD_MODS;
                if ((mm & Opcodes.ACC_PRIVATE) == 0) {
                    out.writeUTF("<init>");
                    out.writeInt(mm);
                    out.writeUTF(m.desc.replace('/', '.'));
                }
            }
            methods.sort(Comparator.comparing((MethodNode m) -> m.name).thenComparing(m -> m.desc));
            for (MethodNode m : methods) {
                int mm = m.access & METHOD_MODS;
                if ((mm & Opcodes.ACC_PRIVATE) == 0) {
                    out.writeUTF(m.name);
                    out.writeInt(mm);
                    out.writeUTF(m.desc.replace('/', '.'));
                }
            }
            out.flush();
            byte[] sha = MessageDigest.getInstance("SHA").digest(bytes.toByteArray());
            long hash = 0;
            for (int i = Math.min(sha.length, 8) - 1; i >= 0; i--) {
                hash = (hash << 8) | (sha[i] & 0xFF);
            }
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** The modifiers reflection gives the class: those of its InnerClasses entry if it is nested. */
    private static int classAccess(ClassNode c) {
        for (InnerClassNode ic : c.innerClasses) {
            if (ic.name.equals(c.name)) {
                return ic.access;
            }
        }
        return c.access;
    }
}
