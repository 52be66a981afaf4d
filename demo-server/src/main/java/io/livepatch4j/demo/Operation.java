package io.livepatch4j.demo;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * What one request asks for, decided from its method, path and query alone. A request the server
 * will not serve (malformed path, oversized key, wrong method, bad parameter) becomes a
 * {@link Kind#REJECTED} operation that carries its 4xx reply, so it still passes through the
 * access check and the renderer and is stamped like any other request.
 *
 * @param key         the key of a /kv operation, else null
 * @param prefix      the key prefix a report scans
 * @param passes      how many times a report scans
 * @param rejection   the reply of a REJECTED operation, else null
 */
record Operation(Kind kind, String key, String prefix, int passes, Reply rejection) {

    enum Kind { GET, PUT, DELETE, REPORT, CHECKSUM, HEALTH, REJECTED }

    /** Keys longer than this (in UTF-8) are refused: a cache key is an identifier, not data. */
    static final int MAX_KEY_BYTES = 256;

    private static final String KV = "/kv/";
    private static final String USE =
            "the demo serves /kv/{key} (GET, PUT, DELETE), /report, /admin/checksum and /health (GET)";

    /**
     * @param method    the HTTP method
     * @param path      the decoded path, or null if the server could not decode it
     * @param parameter a query parameter's value, or null
     */
    static Operation parse(String method, String path, Function<String, String> parameter) {
        if (path == null) {
            return rejected(Reply.text(400, "malformed path; " + USE + "\n"));
        }
        if (path.equals("/health")) {
            return onlyGet(method, path, new Operation(Kind.HEALTH, null, null, 0, null));
        }
        if (path.equals("/admin/checksum")) {
            return onlyGet(method, path, new Operation(Kind.CHECKSUM, null, null, 0, null));
        }
        if (path.equals("/report")) {
            return onlyGet(method, path, report(parameter));
        }
        if (!path.startsWith(KV) && !path.equals("/kv")) {
            return rejected(Reply.text(404, "nothing at " + path + "; " + USE + "\n"));
        }
        Kind kind;
        switch (method) {
            case "GET" -> kind = Kind.GET;
            case "PUT" -> kind = Kind.PUT;
            case "DELETE" -> kind = Kind.DELETE;
            default -> {
                return rejected(Reply.methodNotAllowed(method, "/kv/{key}", "GET, PUT, DELETE"));
            }
        }
        String key = path.length() > KV.length() ? path.substring(KV.length()) : "";
        String problem = keyProblem(key);
        if (problem != null) {
            return rejected(Reply.text(400, problem + "\n"));
        }
        return new Operation(kind, key, null, 0, null);
    }

    /** Why {@code key} cannot be a key, or null if it can. */
    static String keyProblem(String key) {
        if (key.isEmpty()) {
            return "missing key: use /kv/{key}";
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            return "key is " + bytes + " bytes in UTF-8; keys are at most " + MAX_KEY_BYTES;
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                return "key contains a control character (U+" + String.format("%04X", (int) key.charAt(i)) + ")";
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "key has an empty, '.' or '..' path segment: " + key;
            }
        }
        return null;
    }

    private static Operation report(Function<String, String> parameter) {
        String prefix = parameter.apply("prefix");
        String passesText = parameter.apply("passes");
        int passes = 1;
        if (passesText != null) {
            try {
                passes = Integer.parseInt(passesText);
            } catch (NumberFormatException e) {
                passes = -1;
            }
            if (passes < 1 || passes > Report.MAX_PASSES) {
                return rejected(Reply.text(400,
                        "passes must be a whole number from 1 to " + Report.MAX_PASSES + ", not '" + passesText + "'\n"));
            }
        }
        return new Operation(Kind.REPORT, null, prefix == null ? "" : prefix, passes, null);
    }

    private static Operation onlyGet(String method, String path, Operation operation) {
        if (!method.equals("GET")) {
            return rejected(Reply.methodNotAllowed(method, path, "GET"));
        }
        return operation;
    }

    static Operation rejected(Reply reply) {
        return new Operation(Kind.REJECTED, null, null, 0, reply);
    }

    /** Whether this operation reads or writes a key under private/, which needs the API key. */
    boolean touchesPrivateKey() {
        return key != null && KeyValueStore.isPrivate(key);
    }
}
