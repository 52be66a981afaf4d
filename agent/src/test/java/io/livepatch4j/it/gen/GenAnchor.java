package io.livepatch4j.it.gen;

import java.lang.invoke.MethodHandles;

/**
 * Defines generated classes in this package, in the test's own class loader (the loader the agent
 * itself is in, with the -javaagent jar on the class path). The agent prepares them as they are
 * defined (packages=io.livepatch4j.it.gen) and records their bytes then.
 *
 * <p>Why not a URLClassLoader per generated class: the agent refuses to patch a class of another
 * loader's unnamed module ("is in a package that is not open to the livepatch4j agent ... does not
 * have full privilege access"), reported on issue 10.
 */
public final class GenAnchor {

    private GenAnchor() {}

    /** Defines {@code bytes} (a class of this package) in this class's loader. */
    public static Class<?> define(byte[] bytes) throws IllegalAccessException {
        return MethodHandles.lookup().defineClass(bytes);
    }
}
