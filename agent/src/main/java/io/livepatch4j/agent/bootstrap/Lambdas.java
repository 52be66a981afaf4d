package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Functional objects for lambdas whose body lives in a hidden class, on JDKs whose
 * LambdaMetafactory cannot make them (before JDK 23): the captured values are bound to the body's
 * handle and a method handle proxy implements the functional interface.
 */
final class Lambdas {

    private static final MethodHandle MAKE;

    static {
        try {
            MAKE = MethodHandles.lookup().findStatic(Lambdas.class, "make",
                MethodType.methodType(Object.class, Class.class, MethodHandle.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Lambdas() {}

    /** A call site taking the captured values and returning the functional object. */
    static CallSite proxyFactory(MethodType factoryType, MethodHandle impl, MethodType instantiated) {
        Class<?> sam = factoryType.returnType();
        MethodHandle body = impl.asType(impl.type().changeReturnType(instantiated.returnType()));
        MethodHandle factory = MethodHandles.insertArguments(MAKE, 0, sam, body)
            .asCollector(Object[].class, factoryType.parameterCount())
            .asType(factoryType);
        return new ConstantCallSite(factory);
    }

    private static Object make(Class<?> sam, MethodHandle body, Object[] captured) {
        return MethodHandleProxies.asInterfaceInstance(sam, MethodHandles.insertArguments(body, 0, captured));
    }
}
