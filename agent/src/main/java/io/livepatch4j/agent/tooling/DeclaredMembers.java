package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.rewrite.ClassHierarchy;
import org.objectweb.asm.Type;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The access flags of a member a loaded class declares itself, or null. Reflection first: the member
 * by its name and types, which copies only that member (the rewriting of a big patch asks this tens of
 * thousands of times, and copying every member of the class each time was a fifth of its first
 * apply); where a bridge method or a field of the same name with another type hides it, every member.
 * Where reflection fails because a member's signature names a class this JVM cannot load (an optional
 * dependency of a library that is absent, as LMAX Disruptor for log4j), the class file through the
 * class's own loader, which needs no other class.
 */
final class DeclaredMembers {

    private DeclaredMembers() {}

    static Integer access(Class<?> c, String name, String descriptor, boolean field) {
        try {
            return byName(c, name, descriptor, field);
        } catch (NoSuchMethodException | NoSuchFieldException e) {
            return null;
        } catch (MismatchedMember | TypeNotPresentException | LinkageError e) {
            return scan(c, name, descriptor, field); // a signature naming an absent class fails there too, as before
        }
    }

    /** Another member of that name and types (a bridge, a field of another type) hides the one asked for. */
    private static final class MismatchedMember extends Exception {
        MismatchedMember() {
            super(null, null, false, false);
        }
    }

    private static Integer byName(Class<?> c, String name, String descriptor, boolean field)
        throws NoSuchMethodException, NoSuchFieldException, MismatchedMember {
        if (field) {
            Field f = c.getDeclaredField(name);
            if (!Type.getDescriptor(f.getType()).equals(descriptor)) {
                throw new MismatchedMember();
            }
            return f.getModifiers();
        }
        if (name.startsWith("<")) {
            return scan(c, name, descriptor, false); // constructors and initializers are not methods to reflection
        }
        java.lang.invoke.MethodType type = java.lang.invoke.MethodType.fromMethodDescriptorString(descriptor,
            c.getClassLoader());
        Method m = c.getDeclaredMethod(name, type.parameterArray());
        if (m.getReturnType() != type.returnType()) {
            throw new MismatchedMember();
        }
        return m.getModifiers();
    }

    private static Integer scan(Class<?> c, String name, String descriptor, boolean field) {
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
