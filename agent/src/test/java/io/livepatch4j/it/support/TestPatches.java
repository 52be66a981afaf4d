package io.livepatch4j.it.support;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.LambdaPairing;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes patches inside a test: compiles a v2 of some test classes from source and diffs each class
 * against the v1 on the test class path, exactly as 'lp4j build' does with two builds.
 */
public final class TestPatches {

    private TestPatches() {}

    /** Compiles {@code sources} (binary class name to source) and makes a patch of what differs. */
    public static Patch build(String id, Map<String, String> sources) {
        return buildOn(null, id, sources);
    }

    /**
     * A patch built against the classes of {@code base} (their new bytes as built), and the test class
     * path for the rest: the next patch of a JVM that runs {@code base}. Null: the test class path.
     */
    public static Patch buildOn(Patch base, String id, Map<String, String> sources) {
        Path out = compile(sources);
        List<ClassPatch> changed = new ArrayList<>();
        List<NewClass> added = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = out.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                byte[] v2 = Files.readAllBytes(f);
                byte[] v1 = base == null ? null : base.classes().stream().filter(c -> c.name().equals(name))
                    .map(ClassPatch::targetBytes).findFirst().orElse(null);
                v1 = v1 != null ? v1 : classpathBytes(name);
                if (v1 == null) {
                    added.add(new NewClass(name, v2));
                    continue;
                }
                ClassDiff.Result diff = ClassDiff.compare(v1, LambdaPairing.align(v1, v2));
                if (!diff.unchanged()) {
                    List<Change> changes = new ArrayList<>(diff.changes());
                    changed.add(new ClassPatch(name, Sha256.hex(v1), v2, changes));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Patch(id, "livepatch4j tests", Instant.now().toString(), null, changed, added, null);
    }

    /**
     * The patch {@code lp4j build} makes from {@code sources} against the classes on the test class
     * path (the build the JVM runs), with their nested classes: pairing by creation site, switch map
     * copies and all. Fails with the builder's refusals when it refuses.
     */
    public static Patch buildLikeLp4j(String id, Map<String, String> sources) {
        return buildLikeLp4j(id, sources, List.of(), List.of());
    }

    /**
     * The same, with {@code unchanged} classes of the test class path in both builds (as a whole
     * jar would have them) and {@code lp4j build --reinitialize} for each of {@code reinitialize}.
     */
    public static Patch buildLikeLp4j(String id, Map<String, String> sources, List<String> unchanged,
                                      List<String> reinitialize) {
        Path out = compile(sources);
        Map<String, byte[]> neu = new java.util.TreeMap<>();
        Map<String, byte[]> old = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                neu.put(out.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String outer : sources.keySet()) {
            if (classpathBytes(outer) == null) {
                continue; // a class the fix adds
            }
            old.put(outer, classpathBytes(outer));
            for (int i = 1; classpathBytes(outer + "$" + i) != null; i++) {
                old.put(outer + "$" + i, classpathBytes(outer + "$" + i));
            }
        }
        for (String name : unchanged) {
            old.put(name, classpathBytes(name));
            neu.put(name, classpathBytes(name));
        }
        io.livepatch4j.patch.build.PatchBuilder.Report r = io.livepatch4j.patch.build.PatchBuilder.build(old, neu,
            new io.livepatch4j.patch.build.PatchBuilder.Options(id, null, null, "livepatch4j tests", false, reinitialize));
        if (r.patch() == null) {
            throw new IllegalStateException("the builder made no patch: " + r.refusals());
        }
        return r.patch();
    }

    /** The patch most tests apply: Greeter as in src/test/resources/v2/Greeter.java, id "greeter-v2". */
    public static Patch greeterV2() {
        return build("greeter-v2", Map.of("io.livepatch4j.it.app.Greeter", source("Greeter.java")));
    }

    /**
     * The hazard suite's patch {@code hazard-NAME}: each class of io.livepatch4j.it.hazard.app named
     * here, compiled from src/test/resources/hazards/NAME/CLASS.java.
     */
    public static Patch hazard(String name, String... classes) {
        Map<String, String> sources = new java.util.HashMap<>();
        for (String c : classes) {
            sources.put("io.livepatch4j.it.hazard.app." + c, resource("hazards/" + name + "/" + c + ".java"));
        }
        return build("hazard-" + name, sources);
    }

    /** A v2 source from src/test/resources/v2/NAME. */
    public static String source(String name) {
        return resource("v2/" + name);
    }

    private static String resource(String path) {
        try (InputStream in = TestPatches.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] classpathBytes(String name) {
        try (InputStream in = TestPatches.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path compile(Map<String, String> sources) {
        try {
            Path src = Files.createTempDirectory("lp4j-v2-src");
            Path out = Files.createTempDirectory("lp4j-v2-classes");
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(),
                "-cp", System.getProperty("java.class.path")));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = javac.run(null, err, err, args.toArray(new String[0]));
            if (rc != 0) {
                throw new IllegalStateException("v2 sources do not compile:\n" + err.toString(StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
