package io.livepatch4j.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo server's command line, parsed by picocli. Parsing is strict: an unknown flag or a bad
 * number stops the server before it starts, with a message that names the flag and what it accepts.
 */
@Command(name = "java -jar demo-server-v1.jar", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The demo key-value server (or demo-server-v2.jar, the fixed build).",
    footer = "Prints \"READY port=<port> pid=<pid> keys=<n> version=<v1|v2>\" once it accepts requests.")
final class ServerOptions {

    static final String DEFAULT_API_KEY = "lp4j-demo-api-key";

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", converter = WholeNumber.class,
        description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
        description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "100000", converter = WholeNumber.class,
        description = "entries filled in at start, deterministically (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--value-size", paramLabel = "B", defaultValue = "100", converter = WholeNumber.class,
        description = "bytes per filled value (default: ${DEFAULT-VALUE})")
    int valueSize;

    @Option(names = "--max-value-bytes", paramLabel = "B", defaultValue = "65536", converter = WholeNumber.class,
        description = "largest value a PUT may store; larger gets 413 (default: ${DEFAULT-VALUE})")
    int maxValueBytes;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16", converter = WholeNumber.class,
        description = "Jetty threads that run requests (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--api-key", paramLabel = "K", defaultValue = DEFAULT_API_KEY,
        description = "the key that X-Api-Key must carry for keys under private/ (default: ${DEFAULT-VALUE})")
    String apiKey;

    private boolean help;
    private String usage;

    /** Parses {@code args}; throws IllegalArgumentException with a message for the user. */
    static ServerOptions parse(String... args) {
        ServerOptions o = new ServerOptions();
        CommandLine cli = new CommandLine(o);
        cli.setOverwrittenOptionsAllowed(true); // the last one wins, as scripts that add to defaults expect
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        o.help = cli.isUsageHelpRequested() || cli.isVersionHelpRequested();
        o.usage = cli.getUsageMessage();
        check("--port", o.port, 0, 65_535);
        check("--keys", o.keys, 0, 50_000_000);
        check("--value-size", o.valueSize, 1, 1 << 24);
        check("--max-value-bytes", o.maxValueBytes, 1, 1 << 28);
        check("--threads", o.threads, 1, 10_000);
        if (o.apiKey.isEmpty()) {
            throw new IllegalArgumentException("--api-key must not be empty");
        }
        if (o.valueSize > o.maxValueBytes) {
            throw new IllegalArgumentException("--value-size " + o.valueSize + " is larger than --max-value-bytes "
                    + o.maxValueBytes + ": the filled values could not be written back with PUT");
        }
        return o;
    }

    /** The usage text, defaults included. */
    static String usage() {
        return new CommandLine(new ServerOptions()).getUsageMessage();
    }

    private static void check(String flag, int n, int min, int max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", not " + n);
        }
    }

    /** A whole number, with underscores allowed as in Java ("100_000"). */
    static final class WholeNumber implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Integer.parseInt(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("takes a whole number, not '" + value + "'");
            }
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    int keys() {
        return keys;
    }

    int valueSize() {
        return valueSize;
    }

    int maxValueBytes() {
        return maxValueBytes;
    }

    int threads() {
        return threads;
    }

    String apiKey() {
        return apiKey;
    }

    /** Whether --help (or --version) was given: the usage is printed and the server does not start. */
    boolean help() {
        return help;
    }

    String usageText() {
        return usage;
    }
}
