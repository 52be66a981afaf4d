package io.livepatch4j.it.support;

import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.build.Builds;
import io.livepatch4j.patch.build.PatchBuilder;
import io.livepatch4j.patch.diff.Refusal;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The two builds of the fidelity corpus (v1 = v1/ + both/ of every case, v2 = v2/ + both/), each
 * compiled by one in-process javac call into its own class folder with the resources beside the
 * classes, and each case's patch built from them as 'lp4j build' would.
 */
public final class FidelityBuild {

    /** What the patch build said for one case; {@code patchFile} is null when there is no patch. */
    public record Outcome(String classification, Path patchFile, List<String> refusals, List<String> notCarried,
                          List<String> warnings) {
    }

    public final Path v1;
    public final Path v2;

    private FidelityBuild(Path v1, Path v2) {
        this.v1 = v1;
        this.v2 = v2;
    }

    /** Compiles both builds of {@code cases} under {@code work}. */
    public static FidelityBuild compile(List<FidelityCase> cases, Path work) throws IOException {
        return new FidelityBuild(compileOne(cases, "v1", work.resolve("v1")), compileOne(cases, "v2", work.resolve("v2")));
    }

    private static Path compileOne(List<FidelityCase> cases, String version, Path out) throws IOException {
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-g", "-nowarn", "-implicit:none",
            "-d", out.toString(), "-cp", out.toString()));
        for (FidelityCase c : cases) {
            for (String folder : List.of(version, "both")) {
                Path root = c.dir().resolve(folder);
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        if (f.toString().endsWith(".java")) {
                            args.add(f.toString());
                        } else {
                            Path to = out.resolve(root.relativize(f).toString());
                            Files.createDirectories(to.getParent());
                            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (javac.run(null, err, err, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("the " + version + " sources of the fidelity corpus do not compile; fix the "
                + "case javac names:\n" + err.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Builds {@code c}'s patch from this corpus's two builds and writes it under {@code work} if there is one. */
    public Outcome patch(FidelityCase c, Path work) {
        try {
            PatchBuilder.Report report = PatchBuilder.build(read(v1, c), read(v2, c),
                new PatchBuilder.Options("fid-" + c.name(), c.title(), null, "livepatch4j fidelity corpus"));
            List<String> refusals = report.refusals().stream().map(Refusal::message).toList();
            List<String> notCarried = report.notCarried().stream().map(NotCarried::message).toList();
            String classification = !refusals.isEmpty() ? "refused"
                : !notCarried.isEmpty() ? "reported"
                : report.patch() != null ? "carried"
                : "no difference";
            Path file = null;
            if (report.patch() != null) {
                file = work.resolve("patches/" + c.name() + ".lp4j");
                Files.createDirectories(file.getParent());
                PatchFormat.write(report.patch(), file);
            }
            return new Outcome(classification, file, refusals, notCarried, report.warnings());
        } catch (Exception e) {
            return new Outcome("build failed", null, List.of("the patch build threw " + e), List.of(), List.of());
        }
    }

    /** One case's part of a build: its classes (package ROOT.NAME and below) and resources (ROOT/NAME/...). */
    private static Builds.Build read(Path build, FidelityCase c) throws IOException {
        String prefix = c.root() + "/" + c.name() + "/";
        Map<String, byte[]> classes = new TreeMap<>();
        Map<String, byte[]> resources = new LinkedHashMap<>();
        Path root = build.resolve(prefix);
        if (!Files.isDirectory(root)) {
            return new Builds.Build(classes, resources);
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = build.relativize(f).toString().replace('\\', '/');
                if (rel.endsWith(".class")) {
                    classes.put(rel.substring(0, rel.length() - 6).replace('/', '.'), Files.readAllBytes(f));
                } else {
                    resources.put(rel, Files.readAllBytes(f));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Builds.Build(classes, resources);
    }
}
