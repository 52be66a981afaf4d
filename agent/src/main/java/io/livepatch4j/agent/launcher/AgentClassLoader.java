package io.livepatch4j.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's tooling from the agent jar's {@code inst/} folder, where the build stores each
 * class as {@code NAME.classdata} so that no other loader can find it. Its parent is the platform
 * loader: the tooling sees the JDK and the bootstrap runtime, never the application, and the
 * application never sees the tooling or the libraries shaded into it (Byte Buddy, ASM, Gson).
 * Resources are served from {@code inst/} too, a class file's under its own name (Byte Buddy reads
 * advice classes that way).
 *
 * <p>Parallel capable: the JDK locks per class name, and the jar is only read.
 */
final class AgentClassLoader extends ClassLoader {

    static final String FOLDER = "inst/";
    static final String CLASS_SUFFIX = ".classdata";
    private static final String OWN_FILES = "META-INF/livepatch4j/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;
    private final String version;

    AgentClassLoader(JarFile jar, ClassLoader parent) throws IOException {
        super("livepatch4j", parent);
        this.jar = jar;
        URL location = new java.io.File(jar.getName()).toURI().toURL();
        this.jarUrl = "jar:" + location + "!/";
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
        Attributes main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
        this.version = main == null ? null : main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(FOLDER + name.replace('.', '/') + CLASS_SUFFIX);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read it from the agent jar " + jar.getName(), e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, "livepatch4j", version, "livepatch4j", null);
                } catch (IllegalArgumentException raced) {
                    // another thread defined it first: the same package
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /**
     * {@code inst/NAME}; failing that, the agent's own files at the jar's top level
     * ({@code META-INF/livepatch4j/}: the nested bootstrap runtime).
     */
    @Override
    protected URL findResource(String name) {
        String stored = FOLDER + (name.endsWith(".class") ? name + "data" : name);
        if (jar.getJarEntry(stored) == null) {
            if (!name.startsWith(OWN_FILES) || jar.getJarEntry(name) == null) {
                return null;
            }
            stored = name;
        }
        try {
            return new URL(jarUrl + stored);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
    }
}
