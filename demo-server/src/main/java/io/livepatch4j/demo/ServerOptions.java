package io.livepatch4j.demo;

/**
 * The demo server's command line. Parsing is strict: an unknown flag or a bad number stops the
 * server before it starts, with a message that names the flag and what it accepts.
 */
record ServerOptions(
        String host,
        int port,
        int keys,
        int valueSize,
        int maxValueBytes,
        int threads,
        String apiKey,
        boolean help) {

    static final String DEFAULT_API_KEY = "lp4j-demo-api-key";

    static final String USAGE = """
            usage: java -jar demo-server-v1.jar [options]     (or demo-server-v2.jar)
              --port P             TCP port to listen on; 0 picks a free one (default 8080)
              --host H             address to bind (default 127.0.0.1)
              --keys N             entries filled in at start, deterministically (default 100000)
              --value-size B       bytes per filled value (default 100)
              --max-value-bytes B  largest value a PUT may store; larger gets 413 (default 65536)
              --threads N          Jetty threads that run requests (default 16)
              --api-key K          the key that X-Api-Key must carry for keys under private/
                                   (default %s)
              --help               print this and exit
            Prints "READY port=<port> pid=<pid> keys=<n> version=<v1|v2>" once it accepts requests.
            """.formatted(DEFAULT_API_KEY);

    /** Parses {@code args}; throws IllegalArgumentException with a message for the user. */
    static ServerOptions parse(String... args) {
        String host = "127.0.0.1";
        int port = 8080;
        int keys = 100_000;
        int valueSize = 100;
        int maxValueBytes = 64 * 1024;
        int threads = 16;
        String apiKey = DEFAULT_API_KEY;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> host = value;
                case "--port" -> port = number(flag, value, 0, 65_535);
                case "--keys" -> keys = number(flag, value, 0, 50_000_000);
                case "--value-size" -> valueSize = number(flag, value, 1, 1 << 24);
                case "--max-value-bytes" -> maxValueBytes = number(flag, value, 1, 1 << 28);
                case "--threads" -> threads = number(flag, value, 1, 10_000);
                case "--api-key" -> apiKey = nonEmpty(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (valueSize > maxValueBytes) {
            throw new IllegalArgumentException("--value-size " + valueSize + " is larger than --max-value-bytes "
                    + maxValueBytes + ": the filled values could not be written back with PUT");
        }
        return new ServerOptions(host, port, keys, valueSize, maxValueBytes, threads, apiKey, help);
    }

    private static int number(String flag, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    private static String nonEmpty(String flag, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return value;
    }
}
