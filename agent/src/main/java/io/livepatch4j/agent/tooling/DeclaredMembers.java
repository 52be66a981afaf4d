package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.ClassHierarchy;
import org.objectweb.asm.Type;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The access flags of a member a loaded class declares itself, or null. Reflection first; where it
 * fails because a member's signature names a class this JVM cannot load (an optional dependency of
 * a library that is absent, as LMAX Disruptor for log4j), the class file through the class's own
 * loader, which needs no other class.
 */
final class DeclaredMembers {

    private DeclaredMembers() {}

    static Integer access(Class<?> c, String name, String descriptor, boolean field) {
        try {
            if (field) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getName().equals(name) && Type.getDescriptor(f.getType()).equals(descriptor)) {
                        return f.getModifiers();
                    }
                }
            } else {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor)) {
                        return m.getModifiers();
                    }
                }
            }
            return null;
        } catch (LinkageError e) {
            ClassShape shape = ClassHierarchy.shape(c.getClassLoader(), c.getName().replace('.', '/'));
            if (shape == null) {
                return null;
            }
            return field ? shape.fieldAccess(name, descriptor) : shape.methodAccess(name, descriptor);
        }
    }
}
