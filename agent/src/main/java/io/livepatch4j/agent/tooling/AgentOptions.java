package io.livepatch4j.agent.tooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The agent's options, from {@code -javaagent:livepatch4j-agent.jar=OPTIONS} or the attach
 * argument. OPTIONS is comma-separated {@code key=value}; a part without '=' adds another value to
 * the list option before it, so {@code packages=com.acme,com.foo,unitOfWork=com.acme.Worker#handle}
 * prepares two packages. An option the argument does not give is taken from the system property
 * {@code livepatch4j.NAME}, then from the environment variable {@code LIVEPATCH4J_NAME} (upper
 * case, words split by '_': {@code LIVEPATCH4J_STRAGGLER_MILLIS}); list options there are
 * comma-separated. An unknown name in any of the three is refused. Every option is documented in
 * docs/agent.md.
 */
public record AgentOptions(List<String> packages, List<String> unitsOfWork, Path trustedKeys,
                           long stragglerMillis, long globalTimeoutMillis, boolean control, boolean jmx,
                           long hookTimeoutMillis, boolean debug, boolean backgroundStart, boolean toolingC2) {

    /** The option names, in the order docs/agent.md lists them. */
    static final List<String> NAMES = List.of("packages", "unitOfWork", "trustedKeys", "stragglerMillis",
        "globalTimeoutMillis", "hookTimeoutMillis", "control", "jmx", "debug", "backgroundStart", "toolingC2");
    private static final Set<String> LISTS = Set.of("packages", "unitOfWork");
    /** livepatch4j.NAME system properties that are not options: the launcher's. */
    private static final Set<String> NOT_OPTIONS = Set.of("tooling");

    /** Options from the agent argument alone (tests, and a caller with no environment to consult). */
    public static AgentOptions parse(String args) {
        return parse(args, Map.of(), new Properties());
    }

    public static AgentOptions parse(String args, Map<String, String> env, Properties props) {
        Map<String, List<String>> given = fromArgument(args);
        for (String name : props.stringPropertyNames()) {
            // An option's name has no dot: livepatch4j.agent.* is what the agent publishes, livepatch4j.build.*
            // the Maven plugin's parameters, and a name with a dot is some such namespace, not a typo of ours.
            if (name.startsWith("livepatch4j.") && !name.substring(12).contains(".")
                && !NOT_OPTIONS.contains(name.substring(12))) {
                known(name.substring(12), "system property " + name);
            }
        }
        for (String name : env.keySet()) {
            if (name.startsWith("LIVEPATCH4J_") && NAMES.stream().noneMatch(n -> envName(n).equals(name))) {
                throw new IllegalArgumentException("unknown livepatch4j environment variable " + name + "; the options are "
                    + String.join(", ", NAMES.stream().map(AgentOptions::envName).toList()) + " (see docs/agent.md)");
            }
        }
        for (String name : NAMES) {
            if (given.containsKey(name)) {
                continue;
            }
            String value = props.getProperty("livepatch4j." + name, env.get(envName(name)));
            if (value != null) {
                if (value.isBlank()) {
                    // An empty value must not quietly mean "not given": an empty trustedKeys would switch
                    // signed-only mode off while the environment asks for it.
                    throw new IllegalArgumentException("livepatch4j option " + name + " is empty (" + (props.getProperty(
                        "livepatch4j." + name) != null ? "system property livepatch4j." + name : "environment variable "
                        + envName(name)) + "); give it a value or leave it out (see docs/agent.md)");
                }
                List<String> values = new ArrayList<>();
                for (String v : LISTS.contains(name) ? value.split(",") : new String[] {value}) {
                    if (!v.isBlank()) {
                        values.add(v.trim());
                    }
                }
                given.put(name, values);
            }
        }
        return of(given);
    }

    /** LIVEPATCH4J_STRAGGLER_MILLIS for stragglerMillis. */
    static String envName(String option) {
        return "LIVEPATCH4J_" + option.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Map<String, List<String>> fromArgument(String args) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        String listKey = null;
        if (args == null || args.isBlank()) {
            return given;
        }
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
            known(key, "agent option '" + key + "'");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("livepatch4j agent option " + key + "= is empty; give it a value or "
                    + "leave it out (see docs/agent.md)");
            }
            listKey = LISTS.contains(key) ? key : null;
            List<String> values = given.computeIfAbsent(key, k -> new ArrayList<>());
            if (!LISTS.contains(key)) {
                values.clear(); // the last one given counts
            }
            values.add(value);
        }
        return given;
    }

    private static void known(String key, String what) {
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException("unknown livepatch4j " + what + "; the options are "
                + String.join(", ", NAMES) + " (see docs/agent.md)");
        }
    }

    private static AgentOptions of(Map<String, List<String>> given) {
        List<String> units = new ArrayList<>();
        for (String u : given.getOrDefault("unitOfWork", List.of())) {
            units.add(checkUnit(u));
        }
        List<String> packages = new ArrayList<>();
        for (String p : given.getOrDefault("packages", List.of())) {
            packages.add(checkPackage(p));
        }
        String trusted = one(given, "trustedKeys");
        return new AgentOptions(List.copyOf(packages), List.copyOf(units),
            trusted == null ? null : Path.of(trusted),
            positive(given, "stragglerMillis", 1000), positive(given, "globalTimeoutMillis", 10_000),
            bool(given, "control", true), bool(given, "jmx", true), positive(given, "hookTimeoutMillis", 30_000),
            bool(given, "debug", false), bool(given, "backgroundStart", false), bool(given, "toolingC2", false));
    }

    private static String one(Map<String, List<String>> given, String key) {
        List<String> v = given.get(key);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
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

    private static final java.util.regex.Pattern PACKAGE =
        java.util.regex.Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    /**
     * A package name as Java writes it. A pattern such as {@code com.acme.*} would match no class and
     * prepare nothing, with no word said: the subpackages are prepared anyway, so it is refused with that.
     */
    private static String checkPackage(String value) {
        if (PACKAGE.matcher(value).matches()) {
            return value;
        }
        String stem = value.replaceAll("[./*]+$", "").replace('/', '.');
        throw new IllegalArgumentException("livepatch4j agent option packages=" + value + " is not a package name"
            + (PACKAGE.matcher(stem).matches() ? "; write packages=" + stem + " (its subpackages are prepared too)"
                : "; give package names such as packages=com.acme,com.acme.billing (see docs/agent.md)"));
    }

    private static String checkUnit(String value) {
        int hash = value.indexOf('#');
        if (hash <= 0 || hash == value.length() - 1) {
            throw new IllegalArgumentException("livepatch4j agent option unitOfWork=" + value
                + " must name a class and a method, like unitOfWork=com.acme.Worker#handle");
        }
        String method = value.substring(hash + 1);
        if (method.equals("<init>") || method.equals("<clinit>")) {
            throw new IllegalArgumentException("livepatch4j agent option unitOfWork=" + value
                + " names a constructor or initializer; a unit of work is a method call: name the method that does"
                + " the work, like unitOfWork=com.acme.Worker#handle");
        }
        return value;
    }

    private static long positive(Map<String, List<String>> given, String key, long otherwise) {
        String value = one(given, key);
        if (value == null) {
            return otherwise;
        }
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

    private static boolean bool(Map<String, List<String>> given, String key, boolean otherwise) {
        String value = one(given, key);
        if (value == null) {
            return otherwise;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("livepatch4j agent option " + key + "=" + value
                + " must be on or off");
        };
    }
}
