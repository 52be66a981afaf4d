package io.livepatch4j.agent.tooling;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the agent's tooling code off HotSpot's C2 compiler: a compiler directive (the JVM's own
 * mechanism, {@code jcmd PID Compiler.directives_add}) that excludes the agent's tooling packages
 * from C2, so C1 compiles them. The tooling runs in bursts (a class prepared as it loads, an apply,
 * a rollback) and C2's work on it never pays back: in a big apply on 2 cores, C2 spent about 5 s of
 * a core on ASM's ClassReader.readCode alone, beside the application's own recompilation after the
 * patch, and the apply and the application waited for the CPU it took (docs/agent.md,
 * {@code toolingC2}). The runtime that application threads run on every call (the bootstrap
 * package, the Quiescence API, the patch's implementation classes) is not matched: C2 compiles it
 * as before.
 *
 * <p>The directive goes through the platform MBean server's DiagnosticCommand MBean: it is added
 * when that server exists (StartInBackground), which the agent's start creates for its MXBean two
 * seconds in, off the application's start path; with {@code jmx=off} the agent never creates it, and
 * the directive waits for the application to. A JVM without compiler directives (not HotSpot, or a
 * directive stack that is full) keeps compiling as it did: the agent says so at debug level and goes on.
 */
final class ToolingJit {

    /** The tooling's packages, as directive patterns (internal names; a trailing * matches subpackages). */
    static final List<String> PATTERNS = List.of("io/livepatch4j/agent/tooling/*.*", "io/livepatch4j/agent/launcher/*.*",
        "io/livepatch4j/patch/*.*", "io/livepatch4j/shaded/*.*", "io/livepatch4j/control/*.*");

    private static final String FILE = "compiler-directives.json";

    private ToolingJit() {}

    /** Adds the directive; returns what the JVM answered, or why it could not. Never throws. */
    static String keepOffC2() {
        Path file = null;
        try {
            StringBuilder json = new StringBuilder("[{ match: [");
            for (int i = 0; i < PATTERNS.size(); i++) {
                json.append(i == 0 ? "" : ", ").append('"').append(PATTERNS.get(i)).append('"');
            }
            json.append("], c2: { Exclude: true } }]");
            file = AgentDirectory.write(FILE, new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));
            Object answer = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            String said = String.valueOf(answer).trim();
            AgentLog.debug("livepatch4j: the agent's tooling is compiled by C1 only: {0}", said);
            return said;
        } catch (IOException | javax.management.JMException | RuntimeException | LinkageError e) {
            AgentLog.debug("livepatch4j: could not keep the agent's tooling off the C2 compiler ({0}); it is "
                + "compiled as the JVM decides", e);
            return "not added: " + e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    AgentLog.debug("livepatch4j: could not remove {0}: {1}", file, e);
                }
            }
        }
    }
}
