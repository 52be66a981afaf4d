package io.livepatch4j.cli.support;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles a build of a fixture program from sources into a folder of class files. */
public final class Sources {

    private Sources() {}

    public static Path compile(String label, Map<String, String> sources) {
        try {
            Path src = Files.createTempDirectory("lp4j-" + label + "-src");
            Path out = Files.createTempDirectory("lp4j-" + label + "-classes");
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            if (javac.run(null, err, err, args.toArray(new String[0])) != 0) {
                throw new IllegalStateException(label + " does not compile:\n" + err.toString(StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
