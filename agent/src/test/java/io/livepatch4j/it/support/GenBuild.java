package io.livepatch4j.it.support;

import io.livepatch4j.patch.build.PatchBuilder;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One build of generated sources: javac into a fresh folder, the class files as a map (what
 * {@link PatchBuilder} takes, as 'lp4j build' reads two builds).
 */
public final class GenBuild {

    public final Path classes;
    public final Map<String, byte[]> bytes;

    private GenBuild(Path classes, Map<String, byte[]> bytes) {
        this.classes = classes;
        this.bytes = bytes;
    }

    /** Compiles {@code sources} (binary class name to source text); throws with javac's output if they do not compile. */
    public static GenBuild compile(Map<String, String> sources) {
        return compile(sources, "17");
    }

    /** As {@link #compile(Map)}, for the Java release {@code release} (which the running javac must support). */
    public static GenBuild compile(Map<String, String> sources, String release) {
        try {
            Path src = Files.createTempDirectory("lp4j-gen-src");
            Path out = Files.createTempDirectory("lp4j-gen-classes");
            List<String> args = new ArrayList<>(List.of("--release", release, "-g", "-d", out.toString(),
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
                throw new IllegalStateException("generated sources do not compile:\n" + err.toString(StandardCharsets.UTF_8)
                    + "\n" + String.join("\n----\n", sources.values()));
            }
            Map<String, byte[]> bytes = new TreeMap<>();
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = out.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    bytes.put(name, Files.readAllBytes(f));
                }
            }
            return new GenBuild(out, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The patch from {@code v1} to {@code v2}, or the builder's refusals. */
    public static PatchBuilder.Report patch(String id, GenBuild v1, GenBuild v2) {
        return PatchBuilder.build(v1.bytes, v2.bytes, new PatchBuilder.Options(id, "generated", null, "livepatch4j tests"));
    }
}
