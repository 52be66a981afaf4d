package io.livepatch4j.agent.tooling;

import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Puts the agent's bootstrap runtime (module agent-bootstrap, nested in the agent jar as
 * META-INF/livepatch4j/bootstrap.jar) in the bootstrap class loader, so that prologues in any class
 * loader and instrumented JDK classes link to one copy of it. Done once per JVM, before any
 * bootstrap class is touched.
 *
 * <p>The classes are defined in the bootstrap loader one by one through JNI (supertypes first),
 * which leaves the bootstrap class path as it was: appending to it makes HotSpot print "Sharing is
 * only supported for boot loader classes because bootstrap classpath has been appended" and turns
 * class data sharing off for every class the application loads. Where the agent's native library
 * cannot load (a platform other than Linux x86-64) the jar is appended after all, with that warning.
 */
final class BootstrapJar {

    private static final String ENTRY = "META-INF/livepatch4j/bootstrap.jar";
    private static final String MARKER = "io.livepatch4j.agent.bootstrap.Units";

    private BootstrapJar() {}

    static void append(Instrumentation inst) throws IOException {
        if (alreadyInBootstrapLoader()) {
            return;
        }
        byte[] jar;
        try (InputStream in = BootstrapJar.class.getClassLoader().getResourceAsStream(ENTRY)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + ENTRY + "; it was not built by the livepatch4j build");
            }
            jar = in.readAllBytes();
        }
        Map<String, byte[]> classes = classes(jar);
        if (JvmtiStacks.canDefineClasses()) {
            Set<String> defined = new HashSet<>();
            for (String name : classes.keySet()) {
                define(name, classes, defined);
            }
        } else {
            Path file = AgentDirectory.write("bootstrap.jar", new java.io.ByteArrayInputStream(jar));
            inst.appendToBootstrapClassLoaderSearch(new JarFile(file.toFile()));
            // HotSpot opened the jar as it appended it; the name is no longer needed.
            Files.deleteIfExists(file);
        }
        if (!alreadyInBootstrapLoader()) {
            throw new IOException("the bootstrap classes did not become visible to the bootstrap loader");
        }
    }

    /** Defines {@code name} after the supertypes of it that the runtime holds. */
    private static void define(String name, Map<String, byte[]> classes, Set<String> defined) {
        if (!defined.add(name)) {
            return;
        }
        ClassReader reader = new ClassReader(classes.get(name));
        String superName = reader.getSuperName();
        if (superName != null && classes.containsKey(superName)) {
            define(superName, classes, defined);
        }
        for (String i : reader.getInterfaces()) {
            if (classes.containsKey(i)) {
                define(i, classes, defined);
            }
        }
        JvmtiStacks.defineClass(name, null, classes.get(name));
    }

    /** Internal name to class file, for every class in the nested jar. */
    private static Map<String, byte[]> classes(byte[] jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.endsWith("module-info.class")) {
                    classes.put(n.substring(0, n.length() - ".class".length()), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    private static boolean alreadyInBootstrapLoader() {
        try {
            Class.forName(MARKER, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
