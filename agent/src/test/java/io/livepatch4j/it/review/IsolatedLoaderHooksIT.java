package io.livepatch4j.it.review;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A class with woven hooks defined by a loader that delegates only {@code java.*} to the boot loader,
 * as an OSGi framework's bundle loaders do (Felix, Equinox, Karaf without the agent's package in
 * {@code org.osgi.framework.bootdelegation}): the woven {@code invokestatic ServerHooks...} cannot be
 * resolved there. With Byte Buddy's advice ({@code suppress = Throwable.class}) the failed call was
 * swallowed and the method ran as without the agent. The first plain-ASM calls (Hooks) had no
 * handler around them, so the NoClassDefFoundError reached the application (or the server: Netty's
 * and Jetty's woven classes in a bundle failed every event). Now such a loader's classes get no
 * hooks (GatedTransformer says so once per loader), and every hook call is guarded besides.
 */
class IsolatedLoaderHooksIT {

    /** Delegates the JDK's packages only (java.*, and sun.*, com.sun.* as Karaf's bootdelegation); defines the classes it is asked for itself, from the test class path. */
    static final class BundleLoader extends ClassLoader {
        private final String own;

        BundleLoader(String ownPrefix) {
            super(null);
            this.own = ownPrefix;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) {
                    return c;
                }
                if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("sun.")
                    || name.startsWith("com.sun.") || name.startsWith("jdk.")) { // a typical bootdelegation
                    return super.loadClass(name, resolve);
                }
                if (name.startsWith(own)) {
                    try (InputStream in = ClassLoader.getSystemResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        return defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                throw new ClassNotFoundException(name + " (not imported by this bundle)");
            }
        }
    }

    @Test
    void theQuiescenceApiInABundleRunsAsWithoutTheAgent() throws Exception {
        Class<?> api = new BundleLoader("io.livepatch4j.quiescence.").loadClass("io.livepatch4j.quiescence.Quiescence");
        StringBuilder ran = new StringBuilder();
        Method run = api.getMethod("run", Runnable.class);
        try {
            run.invoke(null, (Runnable) () -> ran.append("ran"));
        } catch (InvocationTargetException e) {
            throw new AssertionError("Quiescence.run threw the agent's linkage failure into the application", e.getCause());
        }
        assertEquals("ran", ran.toString());
        try {
            api.getMethod("generation").invoke(null);
        } catch (InvocationTargetException e) {
            throw new AssertionError("Quiescence.generation threw into the application", e.getCause());
        }
    }

    @Test
    void nettyInABundleRunsItsTasksAsWithoutTheAgent() throws Exception {
        // Netty's own classes only: none is in the agent's packages=, so nothing but Hooks touches them.
        Class<?> executor = new BundleLoader("io.netty.").loadClass("io.netty.util.concurrent.DefaultEventExecutor");
        Object loop = executor.getConstructor().newInstance();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        try {
            executor.getMethod("execute", Runnable.class).invoke(loop, (Runnable) ran::countDown);
        } catch (InvocationTargetException e) {
            throw new AssertionError("SingleThreadEventExecutor.execute threw the agent's linkage failure into Netty's caller",
                e.getCause());
        } finally {
            executor.getMethod("shutdownGracefully").invoke(loop);
        }
        org.junit.jupiter.api.Assertions.assertTrue(ran.await(5, java.util.concurrent.TimeUnit.SECONDS), "the task never ran");
    }
}
