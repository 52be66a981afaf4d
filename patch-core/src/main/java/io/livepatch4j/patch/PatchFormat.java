package io.livepatch4j.patch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes the patch file: a jar holding {@code META-INF/livepatch4j/patch.json}, the class
 * files it names, and an optional {@code META-INF/livepatch4j/patch.sig}. The format is described in
 * docs/patch-format.md. Reading checks every entry against the SHA-256 that patch.json gives for it,
 * so a signature over patch.json covers the whole patch. Reading trusts no size the file declares
 * ({@link PatchZip}): patch.json and its signature are inflated first and, given trusted keys,
 * checked before anything else is; any bytes give a Patch or a one-line PatchException.
 */
public final class PatchFormat {

    public static final String MANIFEST = "META-INF/livepatch4j/patch.json";
    public static final String SIGNATURE = "META-INF/livepatch4j/patch.sig";
    /** Limits no real patch comes near (docs/patch-format.md, "Limits"); a file past one is refused. */
    public static final long MAX_FILE_BYTES = 256L << 20;
    /** patch.json: read, and checked against the signature, before anything else. */
    public static final long MAX_MANIFEST_BYTES = 8L << 20;
    public static final long MAX_SIGNATURE_BYTES = 64L << 10;
    /** One class file (the JVM's own limits keep real ones to a few MB). */
    public static final long MAX_CLASS_BYTES = 16L << 20;
    private static final long FIXED_TIME = 315532800000L; // 1980-01-01: reproducible jars

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private PatchFormat() {}

    // ---- writing ----

    public static void write(Patch patch, Path file) throws IOException {
        Files.write(file, toBytes(patch));
    }

    public static byte[] toBytes(Patch patch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, MANIFEST, manifestBytes(patch));
            for (ClassPatch c : patch.classes()) {
                put(zip, classEntry(c.name()), c.targetBytes());
            }
            for (NewClass c : patch.newClasses()) {
                put(zip, newClassEntry(c.name()), c.bytes());
            }
            if (patch.signature() != null) {
                put(zip, SIGNATURE, signatureBytes(patch.signature()));
            }
        }
        return out.toByteArray();
    }

    /** The exact bytes of patch.json: what a signature signs. */
    public static byte[] manifestBytes(Patch patch) {
        JsonObject root = new JsonObject();
        root.addProperty("format", Patch.FORMAT);
        root.addProperty("id", patch.id());
        root.addProperty("compiler", patch.compiler());
        root.addProperty("createdAt", patch.createdAt());
        if (patch.description() != null) {
            root.addProperty("description", patch.description());
        }
        // Written only when they say something, so a patch from before cumulative patches keeps its
        // exact patch.json, and its signature still verifies.
        if (patch.replace()) {
            root.addProperty("replace", true);
        }
        if (!patch.states().isEmpty()) {
            JsonArray states = new JsonArray();
            for (PatchState st : patch.states()) {
                JsonObject o = new JsonObject();
                o.addProperty("id", st.id());
                o.addProperty("version", st.version());
                states.add(o);
            }
            root.add("states", states);
        }
        JsonArray classes = new JsonArray();
        for (ClassPatch c : patch.classes()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", c.name());
            o.addProperty("baseSha256", c.baseSha256());
            o.addProperty("targetSha256", c.targetSha256());
            o.addProperty("entry", classEntry(c.name()));
            if (c.reinitialize()) {
                o.addProperty("reinitialize", true);
            }
            JsonArray changes = new JsonArray();
            for (Change ch : c.changes()) {
                JsonObject co = new JsonObject();
                co.addProperty("kind", ch.kind().name());
                co.addProperty("member", ch.member());
                if (ch.note() != null) {
                    co.addProperty("note", ch.note());
                }
                changes.add(co);
            }
            o.add("changes", changes);
            classes.add(o);
        }
        root.add("classes", classes);
        JsonArray added = new JsonArray();
        for (NewClass c : patch.newClasses()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", c.name());
            o.addProperty("sha256", c.sha256());
            o.addProperty("entry", newClassEntry(c.name()));
            added.add(o);
        }
        root.add("newClasses", added);
        if (!patch.classRenames().isEmpty()) {
            JsonObject renames = new JsonObject();
            new java.util.TreeMap<>(patch.classRenames()).forEach(renames::addProperty);
            root.add("classRenames", renames);
        }
        if (!patch.notCarried().isEmpty()) {
            root.add("notCarried", notCarriedJson(patch.notCarried()));
        }
        if (!patch.hooks().isEmpty()) {
            JsonArray hooks = new JsonArray();
            for (PatchHook h : patch.hooks()) {
                JsonObject o = new JsonObject();
                o.addProperty("kind", h.kind().name());
                o.addProperty("class", h.className());
                o.addProperty("method", h.method());
                hooks.add(o);
            }
            root.add("hooks", hooks);
        }
        return (GSON.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String classEntry(String name) {
        return "classes/" + name.replace('.', '/') + ".class";
    }

    static String newClassEntry(String name) {
        return "new-classes/" + name.replace('.', '/') + ".class";
    }

    /** The differences a patch does not carry, as patch.json and `lp4j build --json` write them. */
    public static JsonArray notCarriedJson(List<NotCarried> notCarried) {
        JsonArray array = new JsonArray();
        for (NotCarried n : notCarried) {
            JsonObject o = new JsonObject();
            o.addProperty("subject", n.subject());
            if (n.member() != null) {
                o.addProperty("member", n.member());
            }
            o.addProperty("what", n.what());
            o.addProperty("advice", n.advice());
            array.add(o);
        }
        return array;
    }

    private static byte[] signatureBytes(PatchSignature sig) {
        JsonObject o = new JsonObject();
        o.addProperty("algorithm", sig.algorithm());
        o.addProperty("keyId", sig.keyId());
        o.addProperty("signature", Base64.getEncoder().encodeToString(sig.signature()));
        return (GSON.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(FIXED_TIME);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    // ---- reading ----

    public static Patch read(Path file) throws PatchException {
        return read(file, List.of());
    }

    /** Reads a patch file of at most {@link #MAX_FILE_BYTES}; see {@link #read(byte[], String, List)}. */
    public static Patch read(Path file, List<PublicKey> trusted) throws PatchException {
        return read(readFile(file), file.toString(), trusted);
    }

    /** The bytes of a patch file, refused unread past {@link #MAX_FILE_BYTES}. */
    public static byte[] readFile(Path file) throws PatchException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new PatchException("refused: " + file + " is " + size + " bytes; a livepatch4j patch is at most "
                    + PatchZip.bytes(MAX_FILE_BYTES) + " (the limits are in docs/patch-format.md)");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PatchException("cannot read patch file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a patch and checks its integrity: every entry patch.json names is present and has the
     * SHA-256 that patch.json gives. {@code source} names the patch in messages.
     */
    public static Patch read(byte[] bytes, String source) throws PatchException {
        return read(bytes, source, List.of());
    }

    /**
     * As {@link #read(byte[], String)}, and when {@code trusted} is not empty, the signature over
     * patch.json is checked against those keys before anything else is inflated: an unsigned or foreign
     * patch costs its central directory and patch.json (at most {@link #MAX_MANIFEST_BYTES}), nothing more.
     */
    public static Patch read(byte[] bytes, String source, List<PublicKey> trusted) throws PatchException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new PatchException("refused: " + source + " is " + bytes.length + " bytes; a livepatch4j patch is at "
                + "most " + PatchZip.bytes(MAX_FILE_BYTES) + " (the limits are in docs/patch-format.md)");
        }
        try {
            return read(PatchZip.open(bytes, source), source, trusted);
        } catch (PatchException e) {
            String line = oneLine(e.getMessage(), 2000);
            throw line.equals(e.getMessage()) ? e : new PatchException(line, e);
        }
    }

    static Patch read(PatchZip entries, String source, List<PublicKey> trusted) throws PatchException {
        byte[] manifest = entries.read(MANIFEST, MAX_MANIFEST_BYTES);
        if (manifest == null) {
            throw new PatchException(source + " is not a livepatch4j patch: it has no " + MANIFEST
                + " (build patches with 'lp4j build')");
        }
        PatchSignature sig = readSignature(entries.read(SIGNATURE, MAX_SIGNATURE_BYTES), source);
        if (!trusted.isEmpty()) {
            // Trust first: nothing an untrusted file holds is inflated or parsed beyond this point.
            io.livepatch4j.patch.sign.PatchSigning.verify("patch file " + source, manifest, sig, trusted);
        }
        JsonObject root;
        try {
            root = JsonParser.parseString(new String(manifest, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new PatchException(source + ": " + MANIFEST + " is not valid JSON (" + oneLine(e.getMessage())
                + "); the file is corrupted: rebuild it with 'lp4j build'", e);
        }
        try {
            int format = root.get("format").getAsInt();
            if (format < Patch.OLDEST_FORMAT || format > Patch.FORMAT) {
                throw new PatchException(source + " has patch format " + format + "; this livepatch4j reads formats "
                    + Patch.OLDEST_FORMAT + " to " + Patch.FORMAT + ": " + (format > Patch.FORMAT
                    ? "it was built by a newer lp4j: update the agent, or rebuild the patch with the lp4j that matches it"
                    : "rebuild the patch with this lp4j"));
            }
            List<ClassPatch> classes = new ArrayList<>();
            for (JsonElement el : root.getAsJsonArray("classes")) {
                JsonObject o = el.getAsJsonObject();
                String name = string(o, "name");
                byte[] target = entry(entries, string(o, "entry"), string(o, "targetSha256"), source, name);
                List<Change> changes = new ArrayList<>();
                for (JsonElement ce : o.getAsJsonArray("changes")) {
                    JsonObject co = ce.getAsJsonObject();
                    changes.add(new Change(kind(string(co, "kind"), source, name), string(co, "member"),
                        co.has("note") ? co.get("note").getAsString() : null));
                }
                boolean reinitialize = o.has("reinitialize") && o.get("reinitialize").getAsBoolean();
                classes.add(new ClassPatch(name, string(o, "baseSha256"), target, changes, reinitialize));
            }
            List<NewClass> added = new ArrayList<>();
            for (JsonElement el : root.getAsJsonArray("newClasses")) {
                JsonObject o = el.getAsJsonObject();
                String name = string(o, "name");
                added.add(new NewClass(name, entry(entries, string(o, "entry"), string(o, "sha256"), source, name)));
            }
            // Looked up by name, and each class file parsed once: patch.json may name one class many times.
            Map<String, NewClass> addedByName = new HashMap<>();
            added.forEach(c -> addedByName.putIfAbsent(c.name(), c));
            Map<String, io.livepatch4j.patch.diff.ClassShape> shapes = new HashMap<>();
            List<NotCarried> notCarried = new ArrayList<>();
            if (root.has("notCarried")) {
                for (JsonElement el : root.getAsJsonArray("notCarried")) {
                    JsonObject o = el.getAsJsonObject();
                    notCarried.add(new NotCarried(string(o, "subject"), o.has("member") ? string(o, "member") : null,
                        string(o, "what"), string(o, "advice")));
                }
            }
            Map<String, String> renames = new HashMap<>();
            if (root.has("classRenames")) {
                for (Map.Entry<String, JsonElement> r : root.getAsJsonObject("classRenames").entrySet()) {
                    String to = r.getValue().getAsString();
                    if (!addedByName.containsKey(to)) {
                        throw new PatchException(source + ": classRenames points " + r.getKey() + " at " + to
                            + ", which the patch does not add; the file is corrupted: rebuild it with 'lp4j build'");
                    }
                    renames.put(r.getKey(), to);
                }
            }
            List<PatchHook> hooks = new ArrayList<>();
            if (root.has("hooks")) {
                for (JsonElement el : root.getAsJsonArray("hooks")) {
                    JsonObject o = el.getAsJsonObject();
                    PatchHook h = new PatchHook(hookKind(string(o, "kind"), source), string(o, "class"), string(o, "method"));
                    NewClass declaring = addedByName.get(h.className());
                    if (declaring == null) {
                        throw new PatchException(source + ": the hook " + h.display() + " is in a class the patch does "
                            + "not add; the file is corrupted: rebuild it with 'lp4j build'");
                    }
                    Integer access = hookAccess(declaring, h, source, shapes);
                    if (access == null || (access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0) {
                        throw new PatchException(source + ": the hook " + h.display() + " is not a static method with no "
                            + "arguments that returns void in its class; the file is corrupted: rebuild it with 'lp4j build'");
                    }
                    hooks.add(h);
                }
            }
            return new Patch(string(root, "id"), string(root, "compiler"), string(root, "createdAt"),
                root.has("description") ? root.get("description").getAsString() : null, classes, added, sig,
                notCarried, renames, replace(root, source), states(root, source), hooks);
        } catch (NullPointerException | IllegalStateException | ClassCastException | IllegalArgumentException
                 | UnsupportedOperationException | ArithmeticException e) {
            throw new PatchException(source + ": " + MANIFEST + " is malformed (" + oneLine(e.toString())
                + "); the file is corrupted: rebuild it with 'lp4j build'", e);
        }
    }

    /** The access flags of a hook's method, read from the class the patch adds; null if it has none. */
    private static Integer hookAccess(NewClass declaring, PatchHook h, String source,
                                      Map<String, io.livepatch4j.patch.diff.ClassShape> shapes) throws PatchException {
        try {
            io.livepatch4j.patch.diff.ClassShape shape = shapes.get(declaring.name());
            if (shape == null) {
                shape = io.livepatch4j.patch.diff.ClassShape.of(declaring.bytes());
                shapes.put(declaring.name(), shape);
            }
            return shape.methodAccess(h.method(), "()V");
        } catch (RuntimeException e) {
            throw new PatchException(source + ": the hook " + h.display() + " is in a class whose class file is not "
                + "valid (" + oneLine(e.toString()) + "); the file is corrupted: rebuild it with 'lp4j build'", e);
        }
    }

    /** A message from parsed input, as one line of bounded length. */
    static String oneLine(String text) {
        return oneLine(text, 200);
    }

    /** Control characters (a newline in a name patch.json gives) become '?'; past {@code max}, cut. */
    static String oneLine(String text, int max) {
        String s = text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ");
        return PatchZip.printable(s, max);
    }

    /** {@code "replace"}: absent means false (a stacked patch, as every patch before cumulative ones). */
    private static boolean replace(JsonObject root, String source) throws PatchException {
        JsonElement e = root.get("replace");
        if (e == null) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new PatchException(source + ": " + MANIFEST + " has \"replace\": " + e + "; it must be true "
                + "(the patch replaces live patches) or false (it applies on top of them): rebuild it with 'lp4j build' "
                + "(add --stack for false)");
        }
        return e.getAsBoolean();
    }

    /** {@code "states"}: absent means none; every id non-empty and declared once, every version 1 or more. */
    private static List<PatchState> states(JsonObject root, String source) throws PatchException {
        JsonElement e = root.get("states");
        if (e == null) {
            return List.of();
        }
        String fix = "; rebuild the patch with 'lp4j build --state ID=VERSION'";
        if (!e.isJsonArray()) {
            throw new PatchException(source + ": " + MANIFEST + " has \"states\": " + e + ", not a list of "
                + "{\"id\": ..., \"version\": ...}" + fix);
        }
        List<PatchState> states = new ArrayList<>();
        for (JsonElement el : e.getAsJsonArray()) {
            JsonElement id = el.isJsonObject() ? el.getAsJsonObject().get("id") : null;
            JsonElement version = el.isJsonObject() ? el.getAsJsonObject().get("version") : null;
            if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
                throw new PatchException(source + ": " + MANIFEST + " has the state " + el + " without a text \"id\"" + fix);
            }
            if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
                || !wholeInt(version.getAsBigDecimal())) {
                throw new PatchException(source + ": " + MANIFEST + " has the state " + el + " whose \"version\" is not "
                    + "a whole number" + fix);
            }
            states.add(new PatchState(id.getAsString(), version.getAsInt()));
        }
        List<String> problems = PatchState.problems(states);
        if (!problems.isEmpty()) {
            throw new PatchException(source + ": " + MANIFEST + ": " + String.join("; ", problems) + fix);
        }
        return states;
    }

    private static boolean wholeInt(java.math.BigDecimal n) {
        try {
            n.intValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static PatchSignature readSignature(byte[] bytes, String source) throws PatchException {
        if (bytes == null) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
            return new PatchSignature(string(o, "algorithm"), string(o, "keyId"),
                Base64.getDecoder().decode(string(o, "signature")));
        } catch (RuntimeException e) {
            throw new PatchException(source + ": " + SIGNATURE + " is malformed (" + oneLine(e.getMessage())
                + "); sign the patch again with 'lp4j sign'", e);
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalStateException("missing \"" + key + "\"");
        }
        return e.getAsString();
    }

    private static byte[] entry(PatchZip entries, String entry, String sha, String source, String cls)
        throws PatchException {
        byte[] bytes = entries.read(entry, MAX_CLASS_BYTES);
        if (bytes == null) {
            throw new PatchException(source + " is incomplete: class " + oneLine(cls) + " names entry " + oneLine(entry)
                + " which the file does not contain (truncated or edited?): rebuild it with 'lp4j build'");
        }
        String actual = entries.sha256(entry, bytes);
        if (!actual.equals(sha)) {
            throw new PatchException(source + " is corrupted: entry " + oneLine(entry) + " (class " + oneLine(cls) + ") has SHA-256 "
                + Sha256.shortHex(actual) + "… but patch.json says " + oneLine(Sha256.shortHex(sha))
                + "…: rebuild the patch with 'lp4j build'");
        }
        return bytes;
    }

    private static PatchHook.Kind hookKind(String word, String source) throws PatchException {
        try {
            return PatchHook.Kind.valueOf(word);
        } catch (IllegalArgumentException e) {
            throw new PatchException(source + ": the patch has a hook of kind " + word + ", which this livepatch4j "
                + "does not know; the patch was built by a newer lp4j: update the agent", e);
        }
    }

    private static ChangeKind kind(String word, String source, String className) throws PatchException {
        try {
            return ChangeKind.valueOf(word);
        } catch (IllegalArgumentException e) {
            throw new PatchException(source + ": class " + className + " has a change of kind " + word + ", which this "
                + "livepatch4j does not know; the patch was built by a newer lp4j: update the agent", e);
        }
    }
}
