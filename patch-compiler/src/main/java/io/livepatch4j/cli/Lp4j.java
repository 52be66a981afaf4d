package io.livepatch4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * lp4j: build patches from two builds, inspect and sign them, apply them to running JVMs, watch
 * their transitions, roll them back. Every refusal or failure ends with one line on stderr and a
 * non-zero exit code (docs/cli.md); a stack trace only with --verbose.
 */
@Command(name = "lp4j", mixinStandardHelpOptions = true, versionProvider = Lp4j.Version.class,
    description = "Live patching for running JVMs: each thread moves to the new code at its own quiescence point.")
public final class Lp4j implements Callable<Integer> {

    /**
     * lp4j's commands, in the order its help lists them. picocli reads a command's options from its
     * class by reflection when the command is added, which took most of lp4j's own start (about 0.4 s
     * of 0.5 s for 'lp4j --version' on 2 cores): a run names its command first, so only that one is
     * added ({@link #commandLine(Terminal, String)}).
     */
    private static final List<Class<?>> COMMANDS = List.of(BuildCommand.class, InspectCommand.class, KeygenCommand.class,
        SignCommand.class, ListCommand.class, ApplyCommand.class, StatusCommand.class, RollbackCommand.class,
        NativeCommand.Checkpoint.class, NativeCommand.Restore.class, NativeCommand.Spawn.class, CompletionCommand.class,
        CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where standard output goes (apply --wait redraws its progress line on a terminal). */
    private final Terminal terminal;

    private Lp4j(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        TerminalSafeWriter out = new TerminalSafeWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()));
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter err = new PrintWriter(new TerminalSafeWriter(new OutputStreamWriter(System.err, Charset.defaultCharset())), true);
        System.exit(run(args, Terminal.of(outWriter, out), err));
    }

    /** Runs lp4j in this JVM (tests use it), its output not a terminal; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, Terminal.plain(out), err);
    }

    static int run(String[] args, Terminal terminal, PrintWriter err) {
        // --json: a failure is one JSON object on stdout too, unless the command printed its own.
        String jsonCommand = jsonCommand(args);
        if (jsonCommand != null) {
            terminal = terminal.counted();
        }
        Terminal term = terminal;
        if (args.length > 0 && NativeCommand.NAMES.contains(args[0])
            && !(args.length == 2 && (isHelp(args[1]) || isVersion(args[1])))) {
            // lp4j-native parses these arguments itself, "--" included (checkpoint: but for lp4j's own, JvmCheckpoint).
            try {
                return NativeCommand.dispatch(args[0], java.util.Arrays.asList(args).subList(1, args.length), term.out(),
                    err);
            } catch (Lp4jException e) {
                err.println("lp4j: " + e.getMessage());
                return e.exitCode();
            }
        }
        CommandLine cli = commandLine(term, args.length > 0 ? args[0] : null);
        cli.setOut(term.out());
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
                return jsonError(jsonCommand, term, e.exitCode(), e.getMessage());
            }
            err.println("lp4j: internal error: " + ex + " (run again with --verbose for the stack trace, and report it)");
            if (verbose) {
                ex.printStackTrace(err);
            }
            return jsonError(jsonCommand, term, Lp4jException.INTERNAL, "internal error: " + ex);
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine failed = ex.getCommandLine();
            // picocli stops at a value it cannot convert before it sees --help or --version: they still win.
            if (failed != cli && failed.getCommandSpec().mixinStandardHelpOptions()) {
                List<String> own = ownArguments(a);
                if (own.stream().anyMatch(Lp4j::isHelp)) {
                    failed.usage(failed.getOut());
                    return 0;
                }
                if (own.stream().anyMatch(Lp4j::isVersion)) {
                    failed.printVersionHelp(failed.getOut());
                    return 0;
                }
            }
            err.println("lp4j: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err); // "Did you mean: lp4j status?"
            err.println("run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage");
            return jsonError(jsonCommand, term, Lp4jException.USAGE, ex.getMessage());
        });
        try {
            return cli.execute(args);
        } catch (NoClassDefFoundError e) {
            if (String.valueOf(e.getMessage()).startsWith("com/sun/tools/attach/")) {
                // A JRE, or a jlinked runtime without jdk.attach: the commands that reach a JVM need it.
                err.println("lp4j: the Java lp4j runs on (" + System.getProperty("java.home") + ") has no Attach API "
                    + "(module jdk.attach), which lp4j needs to reach a JVM: run lp4j on a JDK 17 or later (set JAVA_HOME "
                    + "to it), not a JRE");
                return jsonError(jsonCommand, term, Lp4jException.USAGE, "no Attach API (module jdk.attach) in "
                    + System.getProperty("java.home") + ": run lp4j on a JDK 17 or later");
            }
            return internalError(e, args, err, jsonCommand, term);
        } catch (StackOverflowError | LinkageError e) {
            return internalError(e, args, err, jsonCommand, term);
        } catch (OutOfMemoryError e) {
            // Every read is bounded (Builds, PatchFormat), but the bounds can exceed a small heap: still
            // one line, not a stack trace. What was held is unreachable once this frame is reached.
            err.println("lp4j: refused: lp4j ran out of memory (" + e.getMessage() + ", heap limit "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB) reading its input; give the part of the deployment "
                + "the fix is in, or run lp4j with a larger heap (JAVA_TOOL_OPTIONS=-Xmx4g)");
            return Lp4jException.REFUSED;
        }
    }

    /**
     * lp4j's command tree. Every command gets picocli's -h/--help and -V/--version, so help works
     * even when a required option is missing, and no command can be added without them.
     */
    static CommandLine commandLine(Terminal terminal) {
        return commandLine(terminal, null);
    }

    /**
     * The tree with only the command {@code first} names when it names one that runs on its own
     * (not help or completion, which read the whole tree); else, as for an option, a misspelt command
     * (picocli suggests the closest) or no argument, every command.
     */
    static CommandLine commandLine(Terminal terminal, String first) {
        CommandLine cli = new CommandLine(new Lp4j(terminal));
        Class<?> only = null;
        for (Class<?> c : COMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            if (name.equals(first) && c != CompletionCommand.class && c != CommandLine.HelpCommand.class) {
                only = c;
            }
        }
        for (Class<?> c : COMMANDS) {
            if (only == null || c == only) {
                cli.addSubcommand(c);
            }
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true); // after the commands: picocli sets it on those it has
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (!spec.mixinStandardHelpOptions() && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                spec.mixinStandardHelpOptions(true);
            }
            spec.versionProvider(new Version());
        }
        return cli;
    }

    /** An Error that escaped a command: one line, the stack trace only with --verbose (docs/cli.md). */
    private static int internalError(Throwable e, String[] args, PrintWriter err, String jsonCommand, Terminal term) {
        err.println("lp4j: internal error: " + e + " (run again with --verbose for the stack trace, and report it)");
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            e.printStackTrace(err);
        }
        return jsonError(jsonCommand, term, Lp4jException.INTERNAL, "internal error: " + e);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    private static boolean isVersion(String arg) {
        return arg.equals("--version") || arg.equals("-V");
    }

    /** The arguments after the command's name, up to a "--" (what follows it is not lp4j's). */
    private static List<String> ownArguments(String[] args) {
        List<String> own = new ArrayList<>();
        for (int i = 1; i < args.length && !args[i].equals("--"); i++) {
            own.add(args[i]);
        }
        return own;
    }

    /** The commands whose --json output is one JSON object on stdout. */
    private static final java.util.Set<String> JSON_COMMANDS = java.util.Set.of("build", "inspect", "list", "apply",
        "rollback", "status");

    /** The command, if it is one of those that take --json and --json was given; else null. */
    private static String jsonCommand(String[] args) {
        return args.length > 0 && JSON_COMMANDS.contains(args[0]) && ownArguments(args).contains("--json") ? args[0] : null;
    }

    /**
     * With --json, a failure after which the command printed nothing on stdout prints one object,
     * {"format": 1, "command": ..., "error": {"exitCode": N, "message": ...}} (docs/cli.md); returns {@code exitCode}.
     */
    private static int jsonError(String jsonCommand, Terminal terminal, int exitCode, String message) {
        if (jsonCommand != null && !terminal.written()) {
            com.google.gson.JsonObject o = JsonOutput.start(jsonCommand);
            com.google.gson.JsonObject error = new com.google.gson.JsonObject();
            error.addProperty("exitCode", exitCode);
            error.addProperty("message", message);
            o.add("error", error);
            JsonOutput.print(terminal.out(), o);
        }
        return exitCode;
    }

    /** The terminal of the lp4j that runs {@code spec}'s command. */
    static Terminal terminal(CommandLine.Model.CommandSpec spec) {
        return ((Lp4j) spec.root().userObject()).terminal;
    }

    /** No command: a usage error, so the usage goes to stderr (as with a wrong option); --help prints it on stdout. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Lp4jException.USAGE;
    }

    /** lp4j's version: its jar's Implementation-Version; "dev" when it runs from a build's classes. */
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
