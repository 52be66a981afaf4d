package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A field that a patch added to a loaded class, like Linux livepatch's shadow variables. Loaded
 * objects cannot grow, so the values live in side storage:
 * <ul>
 *   <li>in the object's shadow slot, a field the agent gave the top prepared class of its hierarchy
 *       when it was defined (prepared mode): the values are reachable only from their object, so a
 *       value that refers back to its object never keeps it alive;</li>
 *   <li>otherwise (a class prepared by retransformation in attach mode, which cannot get a field)
 *       in a map keyed by the object's identity and holding it weakly. The JVM has no ephemerons, so
 *       there a value that refers back to its own object keeps that object alive (docs/agent.md).</li>
 * </ul>
 * An object that has no value yet (it existed before the patch, or older code made it) gets its
 * first value from the version's initializer ({@code lp4j$init$<name>()}, see the rewrite's
 * FieldInitializers: the old field's value converted, the field's initializer expression, or the
 * default), run once per object on its first read, under this field's lock; a write before any read
 * sets the value without running it. A null written is kept as {@link #NULL}, so it reads as null
 * and never runs the initializer again. Every access is thread-safe and has volatile semantics,
 * which is at least what the field declared. The storage belongs to the class, so values survive
 * later patches and rollbacks that keep the field.
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

    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();
    private static final String SLOT_NAME = "lp4j$shadow"; // PrologueWriter.SHADOW_SLOT
    /** Per class: the shadow slot its objects have (declared by it or a superclass), or null. */
    private static final ClassValue<java.lang.invoke.VarHandle> SLOTS = new ClassValue<>() {
        @Override
        protected java.lang.invoke.VarHandle computeValue(Class<?> type) {
            for (Class<?> k = type; k != null; k = k.getSuperclass()) {
                try {
                    k.getDeclaredField(SLOT_NAME);
                    return MethodHandles.privateLookupIn(k, MethodHandles.lookup()).findVarHandle(k, SLOT_NAME, Object.class);
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
            return null;
        }
    };

    /** A null written to the field: present, reads as null. */
    private static final Object NULL = new Object();

    private final int id = IDS.getAndIncrement();
    private final Class<?> owner;
    private final String name;
    private final String descriptor;
    /** The initializer's dispatch site once found (it exists once a version with the field is installed). */
    private volatile MethodHandle initializer;
    /** The slot of the field's owner class, or null: then the weak map below holds the values. */
    private final java.lang.invoke.VarHandle slot;
    private final Class<?> type;
    private final Object defaultValue;
    private final ConcurrentHashMap<Object, Object> values = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private volatile Object staticValue;

    private ShadowField(Class<?> owner, String name, String descriptor, Class<?> type) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.slot = SLOTS.get(owner);
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
        return BY_CLASS.get(owner).computeIfAbsent(name + ":" + descriptor, k -> new ShadowField(owner, name, descriptor, type));
    }

    /** Binds one of the access handles to this field and adapts it to the call site's type. */
    MethodHandle adapt(MethodHandle access, MethodType siteType) {
        return access.bindTo(this).asType(siteType);
    }

    Object get(Object self) {
        Object v = read(self);
        if (v == null) {
            v = initialize(self);
        }
        return v == NULL ? null : v;
    }

    void put(Object self, Object value) {
        write(self, value == null ? NULL : value);
    }

    private Object read(Object self) {
        return slot != null ? Slot.read(slot, self, id) : values.get(new WeakIdentity.Probe(self));
    }

    private void write(Object self, Object value) {
        if (slot != null) {
            Slot.write(slot, self, id, value);
            return;
        }
        expunge();
        values.put(new WeakIdentity.Key(self, collected), value);
    }

    /**
     * The object's first value: the initializer's, once. Under this field's lock, so two threads
     * reading the same new field of the same object run it once; it runs new code (the version's),
     * which may read other fields, never this one of this object again.
     */
    private Object initialize(Object self) {
        synchronized (this) {
            Object v = read(self);
            if (v != null) {
                return v;
            }
            MethodHandle init = initializer();
            Object first;
            try {
                first = init == null ? defaultValue : init.invoke(self);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("livepatch4j: the initializer of field " + owner.getName() + "." + name
                    + " threw " + e, e);
            }
            // A put may have landed while the initializer ran (puts do not take this lock): it wins, as
            // a write after this first read would.
            return writeIfAbsent(self, first == null ? NULL : first);
        }
    }

    /** Stores {@code value} unless the object has a value already; returns the value it then has. */
    private Object writeIfAbsent(Object self, Object value) {
        if (slot != null) {
            return Slot.writeIfAbsent(slot, self, id, value);
        }
        expunge();
        Object had = values.putIfAbsent(new WeakIdentity.Key(self, collected), value);
        return had != null ? had : value;
    }

    private MethodHandle initializer() {
        MethodHandle h = initializer;
        if (h == null) {
            // FieldInitializers.methodName: the rewrite's name for the version's initializer of the field
            DispatchSite site = PatchableClass.of(owner).existingSite("lp4j$init$" + name, "()" + descriptor, false);
            if (site != null) {
                h = site.callSite.dynamicInvoker().asType(MethodType.methodType(Object.class, Object.class));
                initializer = h;
            }
        }
        return h;
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

    /**
     * What an object's shadow slot holds: the values of its shadow fields by field id. It names its
     * owner, because Object.clone copies the slot: a clone must not share its original's values, so
     * a holder that belongs to another object reads as empty and is replaced on the first write.
     * Writes copy the array under the holder's lock; reads see a whole array through the volatile.
     */
    private static final class Slot {
        private final Object owner;
        private volatile Object[] values = new Object[0];

        private Slot(Object owner) {
            this.owner = owner;
        }

        static Object read(java.lang.invoke.VarHandle slot, Object self, int id) {
            Object held = slot.getVolatile(self);
            if (!(held instanceof Slot s) || s.owner != self) {
                return null;
            }
            Object[] vals = s.values;
            return id < vals.length ? vals[id] : null;
        }

        static Object writeIfAbsent(java.lang.invoke.VarHandle slot, Object self, int id, Object value) {
            Slot s = of(slot, self);
            synchronized (s) {
                if (id < s.values.length && s.values[id] != null) {
                    return s.values[id];
                }
                s.put(id, value);
                return value;
            }
        }

        static void write(java.lang.invoke.VarHandle slot, Object self, int id, Object value) {
            Slot s = of(slot, self);
            synchronized (s) {
                s.put(id, value);
            }
        }

        /** The object's slot, installed if it has none (a lost race takes the winner's). */
        private static Slot of(java.lang.invoke.VarHandle slot, Object self) {
            for (;;) {
                Object held = slot.getVolatile(self);
                if (held instanceof Slot mine && mine.owner == self) {
                    return mine;
                }
                Slot s = new Slot(self);
                if (slot.compareAndSet(self, held, s)) {
                    return s;
                }
            }
        }

        /** Under this slot's lock: a new array, so readers without the lock see a whole one. */
        private void put(int id, Object value) {
            Object[] vals = java.util.Arrays.copyOf(values, Math.max(values.length, id + 1));
            vals[id] = value;
            values = vals;
        }
    }
}
