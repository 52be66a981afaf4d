package io.livepatch4j.release;

import io.livepatch4j.cli.Lp4j;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The public command line, run in this JVM ({@link Lp4j#run}) as a person would type it. */
final class Cli {

    /** What one lp4j command printed, and its exit code. */
    record Result(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The last 'lp4j:' line, which says why a command was refused. */
        String why() {
            String[] lines = err.strip().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("lp4j:")) {
                    return lines[i];
                }
            }
            return "exit " + exitCode + ": " + (err.isBlank() ? out : err).strip();
        }
    }

    private Cli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Lp4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(rc, out.toString(), err.toString());
    }

    /** Runs lp4j; fails with what it printed unless it exits 0. */
    static String ok(String... args) {
        Result r = run(args);
        if (!r.ok()) {
            throw new AssertionError("'lp4j " + String.join(" ", args) + "' exited " + r.exitCode() + ": " + r.why()
                + "\n" + r.out() + r.err());
        }
        return r.out();
    }
}
