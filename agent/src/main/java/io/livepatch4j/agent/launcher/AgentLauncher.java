package io.livepatch4j.agent.launcher;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * The agent jar's entry points ({@code Premain-Class} and {@code Agent-Class}): the only classes of
 * the agent that the application's class loader can see. They load the tooling (the agent proper,
 * with its shaded libraries, stored in the jar under {@code inst/}) through an
 * {@link AgentClassLoader} the application cannot reach, and call its entry point, as the
 * OpenTelemetry Java agent does.
 *
 * <p>The system property {@code livepatch4j.tooling=classpath} loads the tooling from the
 * application class path instead: the agent's own integration tests drive it in-process through
 * {@code LivePatch} and put its unshaded classes there. It has no use in production.
 */
public final class AgentLauncher {

    private static final String TOOLING = "io.livepatch4j.agent.tooling.Agent";

    private AgentLauncher() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            entry("premain").invoke(null, args, inst);
        } catch (InvocationTargetException e) {
            failed(e.getCause());
        } catch (Exception | LinkageError e) {
            // A patch tool must not keep a server from starting: say so and run unpatched.
            failed(e);
        }
    }

    /** As premain: a failure is reported, not thrown (thrown, it would put the JDK's stack trace and "ASSERTION FAILED" lines into the application's log). */
    public static void agentmain(String args, Instrumentation inst) {
        try {
            entry("agentmain").invoke(null, args, inst);
        } catch (InvocationTargetException e) {
            failed(e.getCause());
        } catch (Exception | LinkageError e) {
            failed(e);
        }
    }

    private static Method entry(String name) throws Exception {
        Class<?> agent = Class.forName(TOOLING, true, toolingLoader());
        return agent.getMethod(name, String.class, Instrumentation.class);
    }

    /** One loader per JVM: a second load of the agent (premain, then an attach) finds the same tooling. */
    private static synchronized ClassLoader toolingLoader() throws Exception {
        if (loader == null) {
            loader = "classpath".equals(System.getProperty("livepatch4j.tooling"))
                ? ClassLoader.getSystemClassLoader()
                : new AgentClassLoader(new JarFile(agentJar().toFile()), ClassLoader.getPlatformClassLoader());
        }
        return loader;
    }

    /** Guarded by the class's monitor. */
    private static ClassLoader loader;

    private static Path agentJar() throws Exception {
        CodeSource source = AgentLauncher.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell which jar the agent was loaded from");
        }
        return Path.of(source.getLocation().toURI());
    }

    /**
     * The one report of a failed start, the tooling's (a typo in an option) or the launcher's (a
     * tooling that cannot load): one line on the JVM's standard error, no stack trace (a typo is not
     * a crash; {@code debug=on} logs it), and the reason in {@code livepatch4j.agent.error}, where
     * {@code lp4j status} reads it ("the agent failed to start: ...").
     */
    private static void failed(Throwable e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        System.err.println("livepatch4j: the agent did not start, this JVM runs without live patching: " + reason);
        System.setProperty("livepatch4j.agent.error", reason);
    }
}
