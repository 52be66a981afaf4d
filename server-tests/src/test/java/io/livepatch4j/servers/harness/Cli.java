package io.livepatch4j.servers.harness;

import io.livepatch4j.cli.Lp4j;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public command line, run in this JVM ({@link Lp4j#run}): builds the patch from two builds of
 * the app package, as a person would with 'lp4j build', and applies and rolls it back with
 * 'lp4j apply|rollback --pid N --wait'. Every command must succeed; a failure says what lp4j printed.
 */
public final class Cli {

    private static Path patch;

    private Cli() {}

    /**
     * The patch from v1 (the app package as compiled into test-classes) to v2 (its sources in
     * src/test/resources/v2, compiled here), made once per test JVM by 'lp4j build'.
     */
    public static synchronized Path patch() throws IOException {
        if (patch != null) {
            return patch;
        }
        Path work = Files.createTempDirectory("lp4j-servers-patch");
        String pkg = ServerChild.APP_PACKAGE.replace('.', '/');
        Path testClasses = testClasses();
        Path v1 = work.resolve("v1");
        Files.createDirectories(v1.resolve(pkg));
        try (Stream<Path> classes = Files.list(testClasses.resolve(pkg))) {
            for (Path c : classes.toList()) {
                Files.copy(c, v1.resolve(pkg).resolve(c.getFileName()));
            }
        }
        Path v2 = work.resolve("v2");
        compileV2(testClasses, work.resolve("v2-src"), v2);
        Path out = work.resolve("pair-v2.lp4j");
        run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", out.toString(), "--id", "pair-v2");
        patch = out;
        return patch;
    }

    /** 'lp4j apply --pid PID PATCH --wait': returns once the transition is complete. */
    public static void apply(long pid) throws IOException {
        run("apply", "--pid", Long.toString(pid), patch().toString(), "--wait", "--timeout", "60",
            "--agent-jar", Settings.agentJar().toString());
    }

    /** 'lp4j rollback --pid PID --wait': returns once the transition back is complete. */
    public static void rollback(long pid) {
        run("rollback", "--pid", Long.toString(pid), "--wait", "--timeout", "60");
    }

    /** Runs lp4j with {@code args}; fails with its output unless it exits 0. Returns what it printed. */
    public static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Lp4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (rc != 0) {
            throw new AssertionError("'lp4j " + String.join(" ", args) + "' exited " + rc + ":\n" + out + err);
        }
        return out.toString();
    }

    private static void compileV2(Path classPath, Path src, Path out) throws IOException {
        String pkg = ServerChild.APP_PACKAGE.replace('.', '/');
        Files.createDirectories(src.resolve(pkg));
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(), "-cp", classPath.toString()));
        for (String name : List.of("Pair.java")) {
            Path file = src.resolve(pkg).resolve(name);
            try (InputStream in = Cli.class.getClassLoader().getResourceAsStream("v2/" + pkg + "/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("no v2 source v2/" + pkg + "/" + name + " in src/test/resources");
                }
                Files.write(file, in.readAllBytes());
            }
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream msgs = new ByteArrayOutputStream();
        if (javac.run(null, msgs, msgs, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("the v2 sources do not compile:\n" + msgs.toString(StandardCharsets.UTF_8));
        }
    }

    /** The folder the app package was compiled into (target/test-classes). */
    static Path testClasses() {
        try {
            return Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
