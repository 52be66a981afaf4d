package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a library object's field by name, for advice that gets the object as an argument and cannot
 * name its type (the agent is not compiled against the library). One getter per class and field,
 * cached; use it where it runs once per request, not per message.
 */
public final class Fields {

    /** The getter of a field that is not there: answers null. */
    private static final MethodHandle NONE = MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0,
        Object.class);

    private static final ClassValue<ConcurrentHashMap<String, MethodHandle>> GETTERS = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Fields() {}

    /** The value of {@code target}'s field {@code name} (declared by its class or a superclass), or null. */
    public static Object get(Object target, String name) {
        if (target == null) {
            return null;
        }
        MethodHandle getter = GETTERS.get(target.getClass()).computeIfAbsent(name, n -> getter(target.getClass(), n));
        if (getter == NONE) {
            return null;
        }
        try {
            return (Object) getter.invokeExact(target);
        } catch (Throwable e) {
            return null;
        }
    }

    private static MethodHandle getter(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true); // a library on the class path: its packages are open
                return MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(Object.class, Object.class));
            } catch (NoSuchFieldException e) {
                // a superclass may declare it
            } catch (ReflectiveOperationException | RuntimeException e) {
                break;
            }
        }
        return NONE;
    }
}
