package io.livepatch4j.agent.tooling;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.livepatch4j.control.Frames;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One request of the control protocol (docs/cli.md), read and checked before anything acts on it:
 * a header of at most {@value #MAX_HEADER} bytes holding a JSON object, and for "apply" the patch
 * file, at most {@value #MAX_PATCH} bytes. Any other input is a {@link BadRequest} naming what is
 * wrong; reading never throws anything else but the stream's own {@link IOException}.
 *
 * @param payload the patch file's bytes for "apply", else null
 * @param to      the generation "rollback" goes to, or -1 for "undo the last change"
 * @param millis  how long "await" waits; for "checkpoint-prepare", when the agent goes on by itself
 * @param shrink  "checkpoint-prepare": collect the heap and give its free part back
 */
record ControlRequest(String command, Strategy strategy, String source, long to, long millis, byte[] payload,
                      boolean shrink) {

    /** "checkpoint-prepare" without "millis": the agent goes on by itself after this long. */
    static final long RESUME_AFTER_MILLIS = 120_000;
    static final long MAX_RESUME_AFTER_MILLIS = 86_400_000;

    static final int MAX_HEADER = 64 << 10;
    static final int MAX_PATCH = io.livepatch4j.control.ControlSockets.MAX_PATCH;

    /** Input that is not a request of the protocol; answered with "bad-request". */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    static ControlRequest read(DataInputStream in) throws IOException, BadRequest {
        JsonObject header = header(Frames.read(in, MAX_HEADER));
        String command = string(header, "command", null);
        if (command == null) {
            throw new BadRequest("the request has no \"command\"");
        }
        Strategy strategy = strategy(string(header, "strategy", "local"));
        return switch (command) {
            case "status", "reverse" -> new ControlRequest(command, strategy, null, -1, 0, null, false);
            case "apply" -> new ControlRequest(command, strategy, string(header, "source", "patch"), -1, 0,
                Frames.read(in, MAX_PATCH), false);
            case "rollback" -> new ControlRequest(command, strategy, null, number(header, "to", -1), 0, null, false);
            case "await" -> new ControlRequest(command, strategy, null, -1, millis(header, 0), null, false);
            case "checkpoint-prepare" -> {
                long millis = millis(header, RESUME_AFTER_MILLIS);
                if (millis == 0 || millis > MAX_RESUME_AFTER_MILLIS) {
                    throw new BadRequest("\"millis\" must be from 1 to " + MAX_RESUME_AFTER_MILLIS
                        + ": when the agent goes on by itself if it never hears how the checkpoint ended");
                }
                yield new ControlRequest(command, strategy, null, -1, millis, null, bool(header, "shrink", true));
            }
            default -> throw new BadRequest("unknown command " + shown(command)
                + "; this lp4j and the agent in the JVM are of different versions");
        };
    }

    private static JsonObject header(byte[] bytes) throws BadRequest {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("the request header is not UTF-8");
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new BadRequest("the request header is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | StackOverflowError e) {
            // Gson parses nested arrays recursively: a header of 64 KiB of '[' is refused here too.
            throw new BadRequest("the request header is not JSON");
        }
    }

    private static String string(JsonObject o, String name, String absent) throws BadRequest {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new BadRequest("\"" + name + "\" must be a string");
        }
        return e.getAsString();
    }

    private static long millis(JsonObject header, long absent) throws BadRequest {
        long millis = number(header, "millis", absent);
        if (millis < 0) {
            throw new BadRequest("\"millis\" must not be negative");
        }
        return millis;
    }

    private static boolean bool(JsonObject o, String name, boolean absent) throws BadRequest {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new BadRequest("\"" + name + "\" must be true or false");
        }
        return e.getAsBoolean();
    }

    private static long number(JsonObject o, String name, long absent) throws BadRequest {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                try {
                    return new java.math.BigDecimal(p.getAsString()).longValueExact();
                } catch (ArithmeticException | NumberFormatException ignored) {
                    // reported below
                }
            }
        }
        throw new BadRequest("\"" + name + "\" must be a whole number");
    }

    private static Strategy strategy(String word) throws BadRequest {
        try {
            return Strategy.parse(word);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("unknown strategy " + shown(word) + ": use local, global or redefine");
        }
    }

    /**
     * A string the client sent, as a refusal quotes it: on one line, control characters escaped, at
     * most 80 characters (the fuzz test found a command with a newline in it, and the answer had two lines).
     */
    static String shown(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > 80 ? "…'" : "'").toString();
    }
}
