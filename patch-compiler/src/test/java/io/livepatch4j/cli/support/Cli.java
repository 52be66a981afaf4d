package io.livepatch4j.cli.support;

import io.livepatch4j.cli.Lp4j;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs lp4j in the test's JVM and keeps what it printed. */
public final class Cli {

    /** @param exit the exit code; {@code out} and {@code err} what lp4j printed */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Lp4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
