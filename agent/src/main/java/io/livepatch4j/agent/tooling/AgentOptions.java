package io.livepatch4j.agent.tooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's options, from {@code -javaagent:livepatch4j-agent.jar=OPTIONS} or the attach
 * argument. OPTIONS is comma-separated {@code key=value}; a part without '=' adds another value to
 * the list option before it, so {@code packages=com.acme,com.foo,unitOfWork=com.acme.Worker#handle}
 * prepares two packages. Every option is documented in docs/agent.md.
 */
public record AgentOptions(List<String> packages, List<String> unitsOfWork, Path trustedKeys,
                           long stragglerMillis, long globalTimeoutMillis, boolean control, boolean jmx,
                           long hookTimeoutMillis) {

    public static AgentOptions parse(String args) {
        List<String> packages = new ArrayList<>();
        List<String> units = new ArrayList<>();
        Path trusted = null;
        long straggler = 1000;
        long globalTimeout = 10_000;
        long hookTimeout = 30_000;
        boolean control = true;
        boolean jmx = true;
        String listKey = null;
        if (args != null && !args.isBlank()) {
            for (String raw : args.split(",")) {
                String part = raw.trim();
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String key = eq < 0 ? listKey : part.substring(0, eq).trim();
                String value = eq < 0 ? part : part.substring(eq + 1).trim();
                if (key == null) {
                    throw new IllegalArgumentException("livepatch4j agent option '" + part
                        + "' has no name; write it as name=value (see docs/agent.md)");
                }
                listKey = null;
                switch (key) {
                    case "packages" -> { packages.add(value); listKey = key; }
                    case "unitOfWork" -> { units.add(checkUnit(value)); listKey = key; }
                    case "trustedKeys" -> trusted = Path.of(value);
                    case "stragglerMillis" -> straggler = positive(key, value);
                    case "globalTimeoutMillis" -> globalTimeout = positive(key, value);
                    case "hookTimeoutMillis" -> hookTimeout = positive(key, value);
                    case "control" -> control = bool(key, value);
                    case "jmx" -> jmx = bool(key, value);
                    default -> throw new IllegalArgumentException("unknown livepatch4j agent option '" + key
                        + "'; the options are packages, unitOfWork, trustedKeys, stragglerMillis, "
                        + "globalTimeoutMillis, hookTimeoutMillis, control, jmx (see docs/agent.md)");
                }
            }
        }
        return new AgentOptions(List.copyOf(packages), List.copyOf(units), trusted, straggler, globalTimeout,
            control, jmx, hookTimeout);
    }

    /** Internal-name prefixes ({@code com/acme/}) of the packages to prepare. */
    public List<String> packagePrefixes() {
        List<String> prefixes = new ArrayList<>();
        for (String p : packages) {
            String internal = p.replace('.', '/');
            prefixes.add(internal.endsWith("/") ? internal : internal + "/");
        }
        return prefixes;
    }

    private static String checkUnit(String value) {
        int hash = value.indexOf('#');
        if (hash <= 0 || hash == value.length() - 1) {
            throw new IllegalArgumentException("livepatch4j agent option unitOfWork=" + value
                + " must name a class and a method, like unitOfWork=com.acme.Worker#handle");
        }
        return value;
    }

    private static long positive(String key, String value) {
        try {
            long v = Long.parseLong(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("livepatch4j agent option " + key + "=" + value
            + " must be a positive number of milliseconds");
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("livepatch4j agent option " + key + "=" + value
                + " must be on or off");
        };
    }
}
