package io.livepatch4j.agent.tooling.integrations;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 15b: guarded hook calls in methods with wide (long/double) arguments and results, static
 * and instance, whose own code catches Throwable: the hooks' failures must not reach the method's
 * handler, the results must be unchanged, the class must verify.
 */
class GuardsReviewTest {

    public static final class Throwing {
        public static final List<String> CAUGHT = new ArrayList<>();

        public static Object enter() {
            throw new IllegalStateException("enter hook");
        }

        public static void exit(Object token) {
            throw new IllegalStateException("exit hook");
        }
    }

    public static class Wide {
        public long l(long a, double b) {
            try {
                return a + (long) b;
            } catch (Throwable t) {
                Throwing.CAUGHT.add("l " + t.getMessage());
                return -1;
            }
        }

        public static double d(double x, long y) {
            try {
                return x * y;
            } catch (Throwable t) {
                Throwing.CAUGHT.add("d " + t.getMessage());
                return -1;
            }
        }

        public static long boom(long x) {
            if (x > 0) {
                throw new ArithmeticException("app " + x);
            }
            return x;
        }
    }

    private static final String T = Throwing.class.getName().replace('.', '/');

    private static Hooks.MethodHook hook(String m) {
        return new Hooks.MethodHook(m, Hooks.any(), new Hooks.Call(T, "enter", "()Ljava/lang/Object;"),
            new Hooks.Call(T, "exit", "(Ljava/lang/Object;)V", Hooks.Source.ENTER), true);
    }

    @Test
    void wideResultsAndArgumentsSurviveThrowingHooks() throws Exception {
        String name = Wide.class.getName().replace('.', '/');
        byte[] bytes;
        try (InputStream in = GuardsReviewTest.class.getClassLoader().getResourceAsStream(name + ".class")) {
            bytes = in.readAllBytes();
        }
        byte[] woven = Hooks.weave(bytes, List.of(new Hooks.ClassHooks(name, false, List.of(),
            List.of(hook("l"), hook("d"), hook("boom")), List.of())), getClass().getClassLoader());
        Class<?> c = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(Wide.class.getName(), woven, 0, woven.length);
            }
        }.define();
        Object w = c.getConstructor().newInstance();
        Throwing.CAUGHT.clear();
        assertEquals(5L + 2L, c.getMethod("l", long.class, double.class).invoke(w, 5L, 2.5d));
        assertEquals(7.5d, c.getMethod("d", double.class, long.class).invoke(null, 2.5d, 3L));
        assertEquals(-4L, c.getMethod("boom", long.class).invoke(null, -4L));
        try {
            c.getMethod("boom", long.class).invoke(null, 4L);
        } catch (java.lang.reflect.InvocationTargetException e) {
            assertEquals("app 4", e.getCause().getMessage());
        }
        assertEquals(List.of(), Throwing.CAUGHT);
    }
}
