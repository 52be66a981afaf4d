package io.livepatch4j.patch.diff;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared members of one class file, without code: what a running class has and what a new
 * version may add to. Methods are keyed {@code name + descriptor}, fields {@code name:descriptor}.
 */
public final class ClassShape {

    private final String name;
    private final String superName;
    private final List<String> interfaces;
    private final int access;
    private final int version;
    private final Map<String, Integer> methods;
    private final Map<String, Integer> fields;
    private final Map<String, String> fieldDescByName;
    private final String nestHost;

    private ClassShape(ClassNode node) {
        this.name = node.name;
        this.nestHost = node.nestHostClass == null ? node.name : node.nestHostClass;
        this.superName = node.superName;
        this.interfaces = List.copyOf(node.interfaces);
        this.access = node.access;
        this.version = node.version;
        Map<String, Integer> m = new LinkedHashMap<>();
        for (MethodNode mn : node.methods) {
            m.put(mn.name + mn.desc, mn.access);
        }
        Map<String, Integer> f = new LinkedHashMap<>();
        Map<String, String> fd = new LinkedHashMap<>();
        for (FieldNode fn : node.fields) {
            f.put(fn.name + ":" + fn.desc, fn.access);
            fd.put(fn.name, fn.desc);
        }
        this.methods = Collections.unmodifiableMap(m);
        this.fields = Collections.unmodifiableMap(f);
        this.fieldDescByName = Collections.unmodifiableMap(fd);
    }

    public static ClassShape of(byte[] classBytes) {
        ClassNode node = new ClassNode();
        new ClassReader(classBytes).accept(node, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG);
        return new ClassShape(node);
    }

    public static ClassShape of(ClassNode node) {
        return new ClassShape(node);
    }

    /** The nest host its class file names (NestHost), or its own name: a top-level class hosts its nest. */
    public String nestHost() {
        return nestHost;
    }

    /** Internal name, {@code com/acme/Foo}. */
    public String name() {
        return name;
    }

    public String superName() {
        return superName;
    }

    public List<String> interfaces() {
        return interfaces;
    }

    public int access() {
        return access;
    }

    public int version() {
        return version;
    }

    public boolean isInterface() {
        return (access & Opcodes.ACC_INTERFACE) != 0;
    }

    public boolean hasMethod(String name, String desc) {
        return methods.containsKey(name + desc);
    }

    public Integer methodAccess(String name, String desc) {
        return methods.get(name + desc);
    }

    public boolean hasField(String name, String desc) {
        return fields.containsKey(name + ":" + desc);
    }

    public Integer fieldAccess(String name, String desc) {
        return fields.get(name + ":" + desc);
    }

    /** Method keys ({@code name + descriptor}) to access flags, in declaration order. */
    public Map<String, Integer> methods() {
        return methods;
    }

    /** Field keys ({@code name:descriptor}) to access flags, in declaration order. */
    public Map<String, Integer> fields() {
        return fields;
    }

    public String fieldDescriptor(String fieldName) {
        return fieldDescByName.get(fieldName);
    }
}
