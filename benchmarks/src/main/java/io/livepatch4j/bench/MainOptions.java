package io.livepatch4j.bench;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * How every main of the benchmarks reads its command line: the options are a picocli command
 * object (defaults shown in --help as ${DEFAULT-VALUE}, choices as enums); --help prints the usage
 * and exits 0; a mistake prints what was wrong and the usage, and exits 2. A repeated option takes
 * its last value, as scripts that append to a default expect.
 */
public final class MainOptions {

    private MainOptions() {}

    /**
     * Reads {@code args} into {@code options}; null when --help or --version was asked (printed on stdout).
     *
     * @throws IllegalArgumentException with what was wrong and the usage
     */
    public static <T> T parse(T options, String... args) {
        return parse(options, new PrintWriter(System.out, true), args);
    }

    /** {@link #parse(Object, String...)}, printing help to {@code out}. */
    public static <T> T parse(T options, PrintWriter out, String... args) {
        CommandLine cli = new CommandLine(options);
        cli.setOverwrittenOptionsAllowed(true);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + cli.getUsageMessage(), e);
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return null;
        }
        if (cli.isVersionHelpRequested()) {
            out.println("livepatch4j");
            return null;
        }
        return options;
    }

    /** {@link #parse} for a main: exits 0 after help, 2 after a mistake (printed on stderr). */
    public static <T> T parseOrExit(T options, String... args) {
        T parsed;
        try {
            parsed = parse(options, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return null;
        }
        if (parsed == null) {
            System.exit(0);
        }
        return parsed;
    }
}
