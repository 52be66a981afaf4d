package io.livepatch4j.agent.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Puts the agent's bootstrap part (io.livepatch4j.agent.bootstrap, nested in the agent jar as
 * META-INF/livepatch4j/bootstrap.jar) on the bootstrap class path, so that prologues in any class
 * loader and instrumented JDK classes link to one copy of it. Done once per JVM, before any
 * bootstrap class is touched.
 */
final class BootstrapJar {

    private static final String ENTRY = "META-INF/livepatch4j/bootstrap.jar";
    private static final String MARKER = "io.livepatch4j.agent.bootstrap.Units";

    private BootstrapJar() {}

    static void append(Instrumentation inst) throws IOException {
        if (alreadyOnBootstrapPath()) {
            return;
        }
        Path jar;
        try (InputStream in = BootstrapJar.class.getClassLoader().getResourceAsStream(ENTRY)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + ENTRY + "; it was not built by the livepatch4j build");
            }
            jar = AgentDirectory.write("bootstrap.jar", in);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        if (!alreadyOnBootstrapPath()) {
            throw new IOException("the bootstrap classes did not become visible to the bootstrap loader");
        }
    }

    private static boolean alreadyOnBootstrapPath() {
        try {
            Class.forName(MARKER, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
