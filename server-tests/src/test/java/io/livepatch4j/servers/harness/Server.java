package io.livepatch4j.servers.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A server under test: the class whose main starts it (see child/), the class path of its JVM, and
 * the unit kinds status may report for its request threads (the integration's, never the fallback
 * "outermost call into a patched class"). To add a server: a child main that serves /pair and /kind
 * through handler/Work in the variants it supports (Work.variant), and an *IT that calls {@link Scenario#run}.
 */
public record Server(String name, String mainClass, String classPath, Set<String> kinds, List<String> variants) {

    /** What a servlet container serves (handler/Work.variant). */
    public static final List<String> SERVLET_VARIANTS = List.of("sync", "async", "dispatch", "timeout");

    /** The same, for a server API with no async timeout of its own. */
    public static final List<String> CORE_VARIANTS = List.of("sync", "async", "dispatch");

    /** This server, asked only for {@code variants}. */
    public Server only(List<String> variants) {
        return new Server(name, mainClass, classPath, kinds, variants);
    }

    /** Where LivePatchJmx comes from: the control module's jar or classes. */
    private static final Path CONTROL = location(io.livepatch4j.control.LivePatchJmx.class);

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A server whose jars are on this test JVM's own class path. The child gets that class path less
     * livepatch4j's own modules (lp4j and patch-core come with the CLI): an application does not
     * carry them. It keeps the control module, whose LivePatchJmx the handlers read their unit kind
     * through (Work.unitKind).
     */
    public static Server onTestClassPath(String name, String mainClass, String... kinds) {
        Path testClasses = Cli.testClasses();
        Path reactor = testClasses.getParent().getParent().getParent();
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> {
                Path p = Path.of(e).toAbsolutePath();
                return p.equals(testClasses) || p.equals(CONTROL)
                    || !(p.startsWith(reactor) || e.contains("/io/livepatch4j/"));
            })
            .collect(Collectors.joining(File.pathSeparator));
        return new Server(name, mainClass, classPath, Set.of(kinds), SERVLET_VARIANTS);
    }

    /**
     * A server whose jars are in the folder named by {@code property} (copied there by
     * maven-dependency-plugin, server-tests/pom.xml), with the test classes: for servers that share
     * packages with one on the test class path (Tomcat 9 beside Tomcat 11).
     */
    public static Server inFolder(String name, String mainClass, String property, String... kinds) throws Exception {
        Path dir = Path.of(Settings.required(property));
        String jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted()
                .collect(Collectors.joining(File.pathSeparator));
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no jars in " + dir + "; run 'mvn verify' in server-tests (it copies them there)");
        }
        return new Server(name, mainClass, Cli.testClasses() + File.pathSeparator + CONTROL + File.pathSeparator + jars,
            Set.of(kinds), SERVLET_VARIANTS);
    }
}
