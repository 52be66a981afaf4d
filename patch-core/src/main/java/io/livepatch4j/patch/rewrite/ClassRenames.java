package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a patch's code at the classes it carries under other names than javac gave them (a copy of
 * a switch map, see {@code SwitchMaps}). The builder and the agent apply the same renames to the
 * same bytes, so what the builder verified is what the agent runs; the patch file keeps javac's bytes.
 */
public final class ClassRenames {

    private ClassRenames() {}

    /**
     * {@code classBytes} with every reference to a class in {@code renames} (binary names, {@code
     * com.acme.Foo$1}) replaced; the very same array when it refers to none of them.
     */
    public static byte[] apply(byte[] classBytes, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return classBytes;
        }
        ClassReader reader = new ClassReader(classBytes);
        Map<String, String> internal = new HashMap<>();
        boolean refers = false;
        char[] buffer = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset > 0 && classBytes[offset - 1] == 7) { // CONSTANT_Class
                String name = reader.readUTF8(offset, buffer);
                String to = renames.get(name.replace('/', '.'));
                if (to != null) {
                    internal.put(name, to.replace('.', '/'));
                    refers = true;
                }
            }
        }
        if (!refers) {
            return classBytes;
        }
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new SimpleRemapper(internal)), 0);
        return writer.toByteArray();
    }
}
