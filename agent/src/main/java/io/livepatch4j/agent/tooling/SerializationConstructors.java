package io.livepatch4j.agent.tooling;

import java.lang.reflect.Constructor;

/**
 * {@code ReflectionFactory.newConstructorForSerialization} for the bootstrap runtime's
 * {@code NewInstances}, which may use java.base only (this lives in jdk.unsupported).
 */
final class SerializationConstructors {

    private SerializationConstructors() {}

    static Constructor<?> of(Class<?> type, Constructor<?> superConstructor) {
        return sun.reflect.ReflectionFactory.getReflectionFactory().newConstructorForSerialization(type, superConstructor);
    }
}
