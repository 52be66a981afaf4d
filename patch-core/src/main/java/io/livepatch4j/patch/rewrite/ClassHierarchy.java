package io.livepatch4j.patch.rewrite;

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
                String resource = name + ".class";
                try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                    : loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        access.put(name, new int[] {0});
                        supers.put(name, "");
                        return;
                    }
                    ClassReader r = new ClassReader(in);
                    access.put(name, new int[] {r.getAccess()});
                    supers.put(name, r.getSuperName() == null ? "" : r.getSuperName());
                } catch (IOException | RuntimeException e) {
                    access.put(name, new int[] {0});
                    supers.put(name, "");
                }
            }
        };
    }
}
