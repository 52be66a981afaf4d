package io.livepatch4j.patch;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compiles one source file in a test and returns the class file of {@code className}. */
public final class Javac {

    private Javac() {}

    /**
     * Compiles several classes together (binary name to source); returns binary name to class file,
     * for every class javac wrote (nested, anonymous and synthetic ones too).
     */
    public static java.util.Map<String, byte[]> compileAll(java.util.Map<String, String> sources) {
        try {
            Path dir = Files.createTempDirectory("lp4j-javac");
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", dir.toString()));
            for (java.util.Map.Entry<String, String> e : sources.entrySet()) {
                Path file = dir.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            if (ToolProvider.getSystemJavaCompiler().run(null, err, err, args.toArray(new String[0])) != 0) {
                throw new IllegalStateException(err.toString(StandardCharsets.UTF_8));
            }
            java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    out.put(dir.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""), Files.readAllBytes(f));
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] compile(String className, String source, String... options) {
        try {
            Path dir = Files.createTempDirectory("lp4j-javac");
            Path file = dir.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
            Files.writeString(file, source);
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", dir.toString()));
            args.addAll(List.of(options));
            args.add(file.toString());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac.run(null, err, err, args.toArray(new String[0])) != 0) {
                throw new IllegalStateException(err.toString(StandardCharsets.UTF_8));
            }
            return Files.readAllBytes(dir.resolve(className.replace('.', '/') + ".class"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
