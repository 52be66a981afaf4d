package io.livepatch4j.it.review13;

import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.build.PatchBuilder;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** TestPatches.buildLikeLp4j with a cumulative (replace) patch, as 'lp4j build' (without --stack) makes. */
final class Build {

    private Build() {}

    static Patch cumulative(String id, Map<String, String> sources, List<String> unchanged, List<String> reinit) {
        return build(id, sources, unchanged, reinit, true);
    }

    static Patch build(String id, Map<String, String> sources, List<String> unchanged, List<String> reinit, boolean replace) {
        try {
            Path src = Files.createTempDirectory("r13-src");
            Path out = Files.createTempDirectory("r13-out");
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(), "-cp",
                System.getProperty("java.class.path")));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                args.add(f.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            if (javac.run(null, err, err, args.toArray(new String[0])) != 0) {
                throw new IllegalStateException(err.toString(StandardCharsets.UTF_8));
            }
            Map<String, byte[]> neu = new TreeMap<>();
            Map<String, byte[]> old = new TreeMap<>();
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    neu.put(out.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""), Files.readAllBytes(f));
                }
            }
            for (String n : sources.keySet()) {
                if (TestPatches.classpathBytes(n) != null) {
                    old.put(n, TestPatches.classpathBytes(n));
                }
            }
            for (String n : unchanged) {
                old.put(n, TestPatches.classpathBytes(n));
                neu.put(n, TestPatches.classpathBytes(n));
            }
            PatchBuilder.Report r = PatchBuilder.build(old, neu,
                new PatchBuilder.Options(id, null, null, "livepatch4j tests", false, replace, List.of(), reinit));
            if (r.patch() == null) {
                throw new IllegalStateException("no patch: " + r.refusals());
            }
            return r.patch();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
