package io.livepatch4j.bench.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code native/build/lp4j-native} (spawn, checkpoint, restore, criu-check) and reads the
 * {@code KEY=VALUE} lines it prints on stdout (docs/native.md). A small C program, so running it
 * during the measured period costs the server's CPUs little besides CRIU's own work.
 */
final class NativeTool {

    /** One run: exit code, the KEY=VALUE lines, and stderr for the reason when it failed. */
    record Result(int exit, Map<String, String> values, String stderr) {
        double millis(String key) {
            String v = values.get(key);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }

        /** CRIU's or lp4j-native's first error line, for a report. */
        String reason() {
            for (String line : stderr.split("\n")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
            return "exit " + exit;
        }
    }

    private final Path binary;

    NativeTool(Path binary) {
        this.binary = binary;
    }

    boolean present() {
        return Files.isExecutable(binary);
    }

    Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("lp4j-native", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(
                        String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), parse(new String(out, StandardCharsets.UTF_8)),
                Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** KEY=VALUE lines; a value ends at the first space (lp4j-native prints nothing after it today). */
    static Map<String, String> parse(String stdout) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            int space = value.indexOf(' ');
            values.put(line.substring(0, eq).strip(), space < 0 ? value : value.substring(0, space));
        }
        return values;
    }
}
