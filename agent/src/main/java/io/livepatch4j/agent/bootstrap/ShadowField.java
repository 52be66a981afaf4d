package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A field that a patch added to a loaded class. Loaded objects cannot grow, so the value lives
 * beside the object, keyed by its identity and held weakly (an object's shadow values go when it
 * does), like Linux livepatch's shadow variables. An object that has no value yet reads the type's
 * default (0, false, null). Every access is thread-safe and has volatile semantics (the map
 * operations order them), which is at least what the field declared. The storage belongs to the
 * class, so values survive later patches and rollbacks that keep the field.
 */
final class ShadowField {

    private static final ClassValue<ConcurrentHashMap<String, ShadowField>> BY_CLASS = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, ShadowField> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    static final MethodHandle GET;
    static final MethodHandle PUT;
    static final MethodHandle GET_STATIC;
    static final MethodHandle PUT_STATIC;
    static final MethodHandle GET_VOLATILE;
    static final MethodHandle PUT_VOLATILE;
    static final MethodHandle GET_STATIC_VOLATILE;
    static final MethodHandle PUT_STATIC_VOLATILE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            GET = l.findVirtual(ShadowField.class, "get", MethodType.methodType(Object.class, Object.class));
            PUT = l.findVirtual(ShadowField.class, "put", MethodType.methodType(void.class, Object.class, Object.class));
            GET_STATIC = l.findVirtual(ShadowField.class, "getStatic", MethodType.methodType(Object.class));
            PUT_STATIC = l.findVirtual(ShadowField.class, "putStatic", MethodType.methodType(void.class, Object.class));
            GET_VOLATILE = GET;
            PUT_VOLATILE = PUT;
            GET_STATIC_VOLATILE = GET_STATIC;
            PUT_STATIC_VOLATILE = PUT_STATIC;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Class<?> type;
    private final Object defaultValue;
    private final ConcurrentHashMap<Object, Object> values = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private volatile Object staticValue;

    private ShadowField(Class<?> type) {
        this.type = type;
        this.defaultValue = type.isPrimitive() ? defaultOf(type) : null;
        this.staticValue = defaultValue;
    }

    Class<?> type() {
        return type;
    }

    static ShadowField of(Class<?> owner, String name, String descriptor) {
        Class<?> type = MethodType.fromMethodDescriptorString("(" + descriptor + ")V", owner.getClassLoader())
            .parameterType(0);
        return BY_CLASS.get(owner).computeIfAbsent(name + ":" + descriptor, k -> new ShadowField(type));
    }

    /** Binds one of the access handles to this field and adapts it to the call site's type. */
    MethodHandle adapt(MethodHandle access, MethodType siteType) {
        return access.bindTo(this).asType(siteType);
    }

    Object get(Object self) {
        Object v = values.get(new WeakIdentity.Probe(self));
        return v == null ? defaultValue : v;
    }

    void put(Object self, Object value) {
        expunge();
        if (value == null) {
            values.remove(new WeakIdentity.Probe(self)); // reads null again: the default
        } else {
            values.put(new WeakIdentity.Key(self, collected), value);
        }
    }

    Object getStatic() {
        return staticValue;
    }

    void putStatic(Object value) {
        staticValue = value;
    }

    private void expunge() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            values.remove(ref);
        }
    }

    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == char.class) {
            return (char) 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }
}
