package io.livepatch4j.agent.tooling;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeclaredMembers finds a member by its name and types: it must answer as a scan of every declared
 * member does, bridges (same name and parameters, another return type) included.
 */
class DeclaredMembersTest {

    /** Classes with bridges, overloads, covariant returns, and fields of many types. */
    private static final List<Class<?>> CLASSES = List.of(String.class, StringBuilder.class, java.util.ArrayList.class,
        java.util.HashMap.class, java.util.TreeMap.class, java.util.concurrent.ConcurrentHashMap.class,
        java.util.Collections.class, java.util.EnumMap.class, Integer.class, Thread.class, Covariant.class);

    interface Maker {
        Object make();
    }

    /** javac adds a bridge {@code Object make()} beside {@code String make()}. */
    static final class Covariant implements Maker, Comparable<Covariant> {
        @Override
        public String make() {
            return "x";
        }

        @Override
        public int compareTo(Covariant o) {
            return 0;
        }
    }

    @Test
    void everyDeclaredMethodAndFieldIsFoundWithItsOwnFlags() {
        int methods = 0;
        int bridges = 0;
        for (Class<?> c : CLASSES) {
            for (Method m : c.getDeclaredMethods()) {
                assertEquals(m.getModifiers(), DeclaredMembers.access(c, m.getName(), Type.getMethodDescriptor(m), false),
                    c.getName() + "." + m.getName() + Type.getMethodDescriptor(m));
                methods++;
                bridges += m.isBridge() ? 1 : 0;
            }
            for (Field f : c.getDeclaredFields()) {
                assertEquals(f.getModifiers(), DeclaredMembers.access(c, f.getName(), Type.getDescriptor(f.getType()), true),
                    c.getName() + "." + f.getName());
            }
        }
        assertTrue(methods > 500 && bridges >= 3, methods + " methods, " + bridges + " bridges");
    }

    @Test
    void aMemberOfAnotherTypeOrAbsentIsNotFound() {
        assertNull(DeclaredMembers.access(Covariant.class, "make", "()Ljava/lang/Integer;", false));
        assertNull(DeclaredMembers.access(String.class, "length", "()J", false));
        assertNull(DeclaredMembers.access(String.class, "noSuchMethod", "()V", false));
        assertNull(DeclaredMembers.access(String.class, "value", "[C", true)); // it is a byte[] since JDK 9
        assertNull(DeclaredMembers.access(String.class, "noSuchField", "I", true));
        assertNull(DeclaredMembers.access(String.class, "<init>", "()V", false)); // constructors are not asked for
        assertNull(DeclaredMembers.access(String.class, "length", "(Lno/such/Type;)I", false));
    }
}
