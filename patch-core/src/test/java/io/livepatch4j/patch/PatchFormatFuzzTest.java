package io.livepatch4j.patch;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livepatch4j.patch.sign.PatchSigning;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes the patch reader (issue 14): any bytes give a {@link Patch} or a {@link PatchException}
 * with a one-line message; never another exception, never unbounded memory or time. A signed patch
 * whose patch.json or signature was changed never reads as trusted.
 *
 * <p>By default (no JAZZER_FUZZ) each method replays its inputs in
 * {@code src/test/resources/io/livepatch4j/patch/PatchFormatFuzzTestInputs/<method>/} as regression
 * tests. {@code scripts/fuzz} fuzzes each for a bounded time (see its header).
 */
class PatchFormatFuzzTest {

    private static final KeyPair KEYS;
    private static final Patch PATCH;
    private static final byte[] PATCH_FILE;
    private static final Patch SIGNED;
    private static final byte[] SIGNED_FILE;

    static {
        try {
            KEYS = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            PATCH = patch(hookClass());
            PATCH_FILE = PatchFormat.toBytes(PATCH);
            SIGNED = PatchSigning.sign(PATCH, KEYS.getPrivate(), KEYS.getPublic());
            SIGNED_FILE = PatchFormat.toBytes(SIGNED);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Raw bytes as a patch file, read without and with trusted keys. */
    @FuzzTest(maxDuration = "30s")
    void anyBytes(byte[] bytes) {
        readsOrRefuses(bytes, List.of());
        readsOrRefuses(bytes, List.of(KEYS.getPublic()));
    }

    /** A valid patch with its patch.json, a class file or entry names mutated, or its bytes flipped. */
    @FuzzTest(maxDuration = "30s")
    void mutatedPatch(FuzzedDataProvider data) throws IOException {
        byte[] file = switch (data.consumeInt(0, 3)) {
            case 0 -> replaceEntry(PATCH_FILE, PatchFormat.MANIFEST, splice(PatchFormat.manifestBytes(PATCH), data));
            case 1 -> PatchFormat.toBytes(patch(splice(hookClass(), data))); // patch.json names the mutated bytes' SHA-256
            case 2 -> renameEntries(PATCH_FILE, data);
            default -> flip(PATCH_FILE, data);
        };
        if (file != null) {
            readsOrRefuses(file, List.of());
        }
    }

    /** A signed patch with patch.json or the signature mutated reads as trusted only if nothing changed. */
    @FuzzTest(maxDuration = "30s")
    void signatureCheck(FuzzedDataProvider data) throws IOException {
        String entry = data.consumeBoolean() ? PatchFormat.SIGNATURE : PatchFormat.MANIFEST;
        byte[] original = entryBytes(SIGNED_FILE, entry);
        byte[] mutated = splice(original, data);
        byte[] file = replaceEntry(SIGNED_FILE, entry, mutated);
        Patch read = readsOrRefuses(file, List.of(KEYS.getPublic()));
        if (read != null && entry.equals(PatchFormat.MANIFEST) && !Arrays.equals(original, mutated)) {
            byte[] after = PatchFormat.manifestBytes(read);
            if (!Arrays.equals(after, PatchFormat.manifestBytes(SIGNED))) {
                throw new AssertionError("a changed patch.json read as signed: " + new String(mutated, StandardCharsets.UTF_8));
            }
        }
    }

    /** The rule: a Patch, or a PatchException whose message is one line. Anything else escapes to Jazzer. */
    static Patch readsOrRefuses(byte[] bytes, List<PublicKey> trusted) {
        try {
            return PatchFormat.read(bytes, "fuzz.lp4j", trusted);
        } catch (PatchException e) {
            String m = e.getMessage();
            if (m == null || m.isEmpty() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0 || m.length() > 4000) {
                throw new AssertionError("not one line: " + m, e);
            }
            return null;
        }
    }

    private static Patch patch(byte[] hooks) {
        return new Patch("fuzz-1", "livepatch4j fuzz", "2026-01-01T00:00:00Z", "seed",
            List.of(new ClassPatch("com.acme.Subject", "ab".repeat(32), hookClass(),
                List.of(new Change(ChangeKind.METHOD_BODY, "run()V"), new Change(ChangeKind.FIELD_ADDED, "hits:J", "note")))),
            List.of(new NewClass("com.acme.Hooks", hooks)), null, List.of(), Map.of(), false,
            List.of(new PatchState("sessions", 2)), List.of(new PatchHook(PatchHook.Kind.POST_APPLY, "com.acme.Hooks", "after")));
    }

    /** A class with the static no-argument method a hook needs. */
    private static byte[] hookClass() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Hooks", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "after", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Up to four edits: at a position, delete a few bytes and insert a few the fuzzer chooses. */
    private static byte[] splice(byte[] bytes, FuzzedDataProvider data) {
        byte[] b = bytes;
        for (int edits = data.consumeInt(0, 4); edits > 0; edits--) {
            int at = data.consumeInt(0, b.length);
            int delete = Math.min(data.consumeInt(0, 16), b.length - at);
            byte[] insert = data.consumeBytes(data.consumeInt(0, 32));
            byte[] n = new byte[b.length - delete + insert.length];
            System.arraycopy(b, 0, n, 0, at);
            System.arraycopy(insert, 0, n, at, insert.length);
            System.arraycopy(b, at + delete, n, at + insert.length, b.length - at - delete);
            b = n;
        }
        return b;
    }

    private static byte[] flip(byte[] bytes, FuzzedDataProvider data) {
        byte[] b = bytes.clone();
        for (int n = data.consumeInt(1, 8); n > 0; n--) {
            b[data.consumeInt(0, b.length - 1)] = data.consumeByte();
        }
        return b;
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] entryBytes(byte[] zip, String name) throws IOException {
        return entries(zip).get(name);
    }

    private static byte[] replaceEntry(byte[] zip, String name, byte[] bytes) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        entries.put(name, bytes);
        return zip(new ArrayList<>(entries.entrySet()));
    }

    /** Renames some entries to names the fuzzer chooses (a name taken twice gives no input). */
    private static byte[] renameEntries(byte[] zip, FuzzedDataProvider data) throws IOException {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(entries(zip).entrySet());
        for (int n = data.consumeInt(1, 3); n > 0; n--) {
            int i = data.consumeInt(0, entries.size() - 1);
            entries.set(i, Map.entry(data.consumeString(64), entries.get(i).getValue()));
        }
        return zip(entries);
    }

    private static byte[] zip(List<Map.Entry<String, byte[]>> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (ZipException | IllegalArgumentException e) {
            return null; // a duplicate or over-long name: ZipOutputStream cannot write it
        }
        return out.toByteArray();
    }
}
