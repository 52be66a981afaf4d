package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.function.BiFunction;

/**
 * How an added constructor's factory makes its object (see the rewrite's ConstructorFactories):
 * {@code this(...)} to a constructor the loaded class has is an ordinary {@code new}; {@code
 * super(...)} has no bytecode outside the class's own constructors, so the superclass's constructor
 * runs on a new object of the class the way deserialization does it
 * ({@code ReflectionFactory.newConstructorForSerialization}, which allocates the class and calls
 * the given superclass constructor), after which the factory runs the added constructor's body.
 * That factory lives in jdk.unsupported, which this runtime may not use (java.base only): the
 * tooling hands it in at start ({@link #useSerializationConstructors}).
 */
public final class NewInstances {

    private static final MethodHandle INVOKE;

    static {
        try {
            INVOKE = MethodHandles.lookup().findStatic(NewInstances.class, "invoke",
                MethodType.methodType(Object.class, Constructor.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** (class, superclass constructor) to the serialization constructor; set once at agent start. */
    private static volatile BiFunction<Class<?>, Constructor<?>, Constructor<?>> serializationConstructors;

    private NewInstances() {}

    /** Called by the tooling before any patch applies. */
    public static void useSerializationConstructors(BiFunction<Class<?>, Constructor<?>, Constructor<?>> factory) {
        serializationConstructors = factory;
    }

    /** A handle of {@code type} = (Object ignored, args...)C that makes a C with {@code declaring}'s constructor. */
    static MethodHandle maker(MethodType type, Class<?> declaring, String descriptor) throws ReflectiveOperationException {
        Class<?> made = type.returnType();
        MethodType ctorType = MethodType.fromMethodDescriptorString(descriptor, made.getClassLoader());
        MethodHandle h;
        if (declaring == made) {
            h = MethodHandles.privateLookupIn(made, MethodHandles.lookup()).findConstructor(made, ctorType);
        } else {
            Constructor<?> superCtor = declaring.getDeclaredConstructor(ctorType.parameterArray());
            Constructor<?> c = serializationConstructors.apply(made, superCtor);
            h = INVOKE.bindTo(c).asCollector(Object[].class, ctorType.parameterCount());
        }
        return MethodHandles.dropArguments(h, 0, Object.class).asType(type);
    }

    private static Object invoke(Constructor<?> c, Object[] args) throws Throwable {
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // what the constructor threw, as a direct call would
        }
    }
}
