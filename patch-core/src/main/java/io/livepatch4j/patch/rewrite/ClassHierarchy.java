package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ClassShape;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Superclasses, for computing the stack map frames of an old class file ({@link FrameUpgrade}). A
 * name it does not know answers null; the frame computation then assumes {@code java/lang/Object}.
 */
public interface ClassHierarchy {

    /** The superclass's internal name, null for java/lang/Object or an unknown class. */
    String superName(String internalName);

    boolean isInterface(String internalName);

    /** Reads class files through {@code loader}'s resources, never loading a class (safe while one is being defined). */
    static ClassHierarchy ofResources(ClassLoader loader) {
        Map<String, int[]> access = new ConcurrentHashMap<>();
        Map<String, String> supers = new ConcurrentHashMap<>();
        return new ClassHierarchy() {
            @Override
            public String superName(String name) {
                read(name);
                String s = supers.get(name);
                return s == null || s.isEmpty() ? null : s;
            }

            @Override
            public boolean isInterface(String name) {
                read(name);
                int[] a = access.get(name);
                return a != null && (a[0] & Opcodes.ACC_INTERFACE) != 0;
            }

            private void read(String name) {
                if (access.containsKey(name)) {
                    return;
                }
                byte[] bytes = classFile(loader, name);
                int a = 0;
                String s = "";
                try {
                    if (bytes != null) {
                        ClassReader r = new ClassReader(bytes);
                        a = r.getAccess();
                        s = r.getSuperName() == null ? "" : r.getSuperName();
                    }
                } catch (RuntimeException e) {
                    // not a class file: unknown, as if absent
                }
                access.put(name, new int[] {a});
                supers.put(name, s);
            }
        };
    }

    /** The class file {@code loader} (the system loader for null) finds for an internal name, or null. */
    public static byte[] classFile(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The shape of the class {@code loader} finds for an internal name, or null (none, or unreadable). */
    public static ClassShape shape(ClassLoader loader, String internalName) {
        byte[] bytes = classFile(loader, internalName);
        try {
            return bytes == null ? null : ClassShape.of(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
