package io.livepatch4j.demo.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real lp4j command line (lp4j.jar) as an operator would, showing its output as it comes. */
final class Lp4jProcess {

    /** What lp4j printed and how it ended. */
    record Result(int exit, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    private Lp4jProcess() {}

    static Result run(Path lp4jJar, PrintStream show, String... args) throws IOException, InterruptedException {
        // As ./lp4j starts it (C1 only, serial GC), and at a lower CPU priority: on a 2-CPU machine the
        // tool's own JVM start-up competes with the server it patches.
        List<String> cmd = new ArrayList<>(List.of("nice", "-n", "10",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", lp4jJar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (show != null) {
                    show.println("  | " + line);
                }
            }
        }
        return new Result(p.waitFor(), lines);
    }
}
