package io.livepatch4j.it;

import io.livepatch4j.it.support.ChildClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent jar as the build ships it (issue 15): nothing outside the project's namespace, one copy
 * of each shaded library, the tooling out of the application's sight, the bootstrap runtime in the
 * bootstrap loader, and a JVM that says nothing about the agent when all is well.
 */
class AgentJarIT {

    private static final Path AGENT_JAR = Path.of(System.getProperty("lp4j.agent.jar"));
    /** JDK and our own names: every class the jar holds or refers to must be one of these. */
    private static final List<String> ALLOWED_REFERENCES = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/",
        "io/livepatch4j/");

    @Test
    void everyClassIsInTheProjectsNamespaceAndOnlyTheLauncherIsAPlainClass() throws IOException {
        List<String> wrong = new ArrayList<>();
        Set<String> foreignReferences = new TreeSet<>();
        try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String n = entry.getName();
                if (entry.isDirectory() || n.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                if (n.endsWith(".class")) {
                    if (!n.startsWith("io/livepatch4j/agent/launcher/")) {
                        wrong.add(n + ": a class the application's loader could load");
                    }
                    foreignReferences.addAll(foreignReferences(jar.getInputStream(entry).readAllBytes(), n));
                } else if (n.endsWith(".classdata")) {
                    if (!n.startsWith("inst/io/livepatch4j/")) {
                        wrong.add(n + ": outside the project's namespace");
                    }
                    if (n.startsWith("inst/io/livepatch4j/shaded/bytebuddy/")) {
                        wrong.add(n + ": Byte Buddy, which the agent no longer uses");
                    }
                    foreignReferences.addAll(foreignReferences(jar.getInputStream(entry).readAllBytes(), n));
                } else if (n.equals("META-INF/livepatch4j/bootstrap.jar")) {
                    wrong.addAll(bootstrapProblems(jar.getInputStream(entry).readAllBytes()));
                } else if (!n.startsWith("inst/META-INF/")) {
                    wrong.add(n + ": a file outside inst/ and META-INF/livepatch4j/");
                }
            }
        }
        assertTrue(wrong.isEmpty(), "the agent jar holds:\n" + String.join("\n", wrong));
        assertTrue(foreignReferences.isEmpty(),
            "classes of the agent jar refer to classes outside the JDK and io.livepatch4j (an unrelocated "
                + "library):\n" + String.join("\n", foreignReferences));
    }

    @Test
    @Timeout(60)
    void theApplicationSeesTheBootstrapRuntimeAndNothingElseOfTheAgent() throws Exception {
        List<String> probe = List.of("io.livepatch4j.agent.bootstrap.Units", "io.livepatch4j.agent.tooling.Agent",
            "io.livepatch4j.agent.tooling.LivePatch", "io.livepatch4j.patch.Patch",
            "io.livepatch4j.shaded.gson.Gson",
            "io.livepatch4j.shaded.asm.ClassReader", "io.livepatch4j.control.ControlSockets");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 24) {
            // The one warning that cannot be avoided (docs/agent.md): System.load of the agent's JNI library is
            // a restricted method from JDK 24 on, and only the command line can allow it.
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-javaagent:" + AGENT_JAR + "=packages=io.livepatch4j.it.app", "-cp", ChildClassPath.testClasses(),
            "io.livepatch4j.it.child.IsolationProbe"));
        cmd.addAll(probe);
        Path err = Files.createTempFile("lp4j-isolation", ".err");
        Process child = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the probe JVM ended");
        String stderr = Files.readString(err);
        assertTrue(out.contains("DONE") && out.contains("AGENT 0."), "the agent started in the probe JVM:\n" + out + stderr);
        assertTrue(out.contains("VISIBLE io.livepatch4j.agent.bootstrap.Units"), out);
        for (String hidden : probe.subList(1, probe.size())) {
            assertTrue(out.contains("HIDDEN " + hidden), hidden + " must be out of the application's sight:\n" + out);
        }
        // No "Sharing is only supported for boot loader classes..." (nothing is appended to the bootstrap
        // class path), and no start-up chatter: an agent that works says nothing.
        assertEquals("", stderr.strip(), "the JVM printed on its standard error with the agent");
    }

    /** The bootstrap runtime's jar: classes of io.livepatch4j.agent.bootstrap only, referring to java.base only. */
    private static List<String> bootstrapProblems(byte[] jar) throws IOException {
        List<String> wrong = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("io/livepatch4j/agent/bootstrap/")) {
                    wrong.add("bootstrap.jar!/" + n + ": not the bootstrap runtime");
                }
                if (n.endsWith(".class")) {
                    for (String ref : foreignReferences(in.readAllBytes(), n)) {
                        wrong.add("bootstrap.jar!/" + ref);
                    }
                }
            }
        }
        return wrong;
    }

    /** "entry -> name" for every class name {@code classFile} mentions outside ALLOWED_REFERENCES. */
    private static Set<String> foreignReferences(byte[] classFile, String entry) {
        Set<String> found = new TreeSet<>();
        Remapper collect = new Remapper() {
            @Override
            public String map(String internalName) {
                if (ALLOWED_REFERENCES.stream().noneMatch(internalName::startsWith)) {
                    found.add(entry + " -> " + internalName);
                }
                return internalName;
            }
        };
        new ClassReader(classFile).accept(new ClassRemapper(new ClassVisitor(Opcodes.ASM9) {}, collect), 0);
        return found;
    }
}
