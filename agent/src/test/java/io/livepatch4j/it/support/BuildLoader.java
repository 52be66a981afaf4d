package io.livepatch4j.it.support;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.Supplier;

/** A loader over a build's classes that says which classes it has loaded, without loading any. */
public final class BuildLoader extends URLClassLoader {

    public BuildLoader(GenBuild build, ClassLoader parent) throws Exception {
        super(new URL[] {build.classes.toUri().toURL()}, parent);
    }

    public BuildLoader(GenBuild build) throws Exception {
        this(build, BuildLoader.class.getClassLoader());
    }

    public boolean loaded(String name) {
        return findLoadedClass(name) != null;
    }

    /** What a new {@code name} (a {@code Supplier<String>} with a public no-argument constructor) supplies. */
    @SuppressWarnings("unchecked")
    public static String supplied(ClassLoader loader, String name) throws Exception {
        return ((Supplier<String>) loader.loadClass(name).getConstructor().newInstance()).get();
    }

    /** {@link #supplied}, or "FAILED: " and the chain of causes of what it threw. */
    public static String suppliedOrFailure(ClassLoader loader, String name) {
        try {
            return supplied(loader, name);
        } catch (Throwable t) {
            StringBuilder b = new StringBuilder("FAILED: ");
            for (Throwable c = t; c != null; c = c.getCause()) {
                b.append(c).append(" <- ");
            }
            return b.toString();
        }
    }
}
