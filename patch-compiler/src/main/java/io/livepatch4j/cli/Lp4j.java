package io.livepatch4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * lp4j: build patches from two builds, inspect and sign them, apply them to running JVMs, watch
 * their transitions, roll them back. Every refusal or failure ends with one line on stderr and a
 * non-zero exit code (docs/cli.md); a stack trace only with --verbose.
 */
@Command(name = "lp4j", mixinStandardHelpOptions = true, versionProvider = Lp4j.Version.class,
    description = "Live patching for running JVMs: each thread moves to the new code at its own quiescence point.",
    subcommands = {BuildCommand.class, InspectCommand.class, KeygenCommand.class, SignCommand.class,
        ListCommand.class, ApplyCommand.class, StatusCommand.class, RollbackCommand.class,
        NativeCommand.Checkpoint.class, NativeCommand.Restore.class, NativeCommand.Spawn.class,
        CommandLine.HelpCommand.class})
public final class Lp4j implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(new TerminalSafeWriter(new java.io.OutputStreamWriter(System.out,
            java.nio.charset.Charset.defaultCharset())), true), new PrintWriter(new TerminalSafeWriter(
            new java.io.OutputStreamWriter(System.err, java.nio.charset.Charset.defaultCharset())), true)));
    }

    /** Runs lp4j in this JVM (tests use it); returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && NativeCommand.NAMES.contains(args[0]) && !(args.length == 2 && args[1].equals("--help"))) {
            // Pass-through: lp4j-native parses these arguments itself, "--" included.
            try {
                return NativeCommand.run(args[0], java.util.Arrays.asList(args).subList(1, args.length));
            } catch (Lp4jException e) {
                err.println("lp4j: " + e.getMessage());
                return e.exitCode();
            }
        }
        CommandLine cli = new CommandLine(new Lp4j());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean verbose = line.getParseResult().originalArgs().contains("--verbose")
                || line.getParseResult().originalArgs().contains("-v");
            Throwable cause = ex;
            if (cause instanceof Lp4jException e) {
                err.println("lp4j: " + e.getMessage());
                if (verbose && e.getCause() != null) {
                    e.getCause().printStackTrace(err);
                }
                return e.exitCode();
            }
            err.println("lp4j: internal error: " + ex + " (run again with --verbose for the stack trace, and report it)");
            if (verbose) {
                ex.printStackTrace(err);
            }
            return Lp4jException.INTERNAL;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("lp4j: " + ex.getMessage());
            err.println("run 'lp4j " + (ex.getCommandLine().getCommandName().equals("lp4j") ? "" : ex.getCommandLine().getCommandName() + " ")
                + "--help' for usage");
            return Lp4jException.USAGE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Every read is bounded (Builds, PatchFormat), but the bounds can exceed a small heap: still
            // one line, not a stack trace. What was held is unreachable once this frame is reached.
            err.println("lp4j: refused: lp4j ran out of memory (" + e.getMessage() + ", heap limit "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB) reading its input; give the part of the deployment "
                + "the fix is in, or run lp4j with a larger heap (JAVA_TOOL_OPTIONS=-Xmx4g)");
            return Lp4jException.REFUSED;
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Lp4jException.USAGE;
    }

    static String version() {
        String v = Lp4j.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** picocli's --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lp4j " + version() + " (livepatch4j), running on Java " + Runtime.version()};
        }
    }
}
