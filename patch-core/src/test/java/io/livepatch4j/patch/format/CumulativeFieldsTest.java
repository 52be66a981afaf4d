package io.livepatch4j.patch.format;

import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.PatchState;
import io.livepatch4j.patch.sign.PatchSigning;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** patch.json's "replace" and "states": read as written, refused when malformed, covered by the signature. */
class CumulativeFieldsTest {

    private static Patch stacked() {
        return new Patch("p", "livepatch4j tests", "2026-11-29T00:00:00Z", null,
            List.of(new ClassPatch("com.acme.A", "a".repeat(64), new byte[] {1, 2, 3}, List.of())), List.of(), null);
    }

    private static Patch cumulative() {
        return stacked().withCumulative(true, List.of(new PatchState("session-format", 2), new PatchState("cache", 1)));
    }

    @Test
    void replaceAndStatesRoundTripInOrder() throws Exception {
        Patch back = PatchFormat.read(PatchFormat.toBytes(cumulative()), "p.lp4j");
        assertTrue(back.replace());
        assertEquals(List.of(new PatchState("session-format", 2), new PatchState("cache", 1)), back.states());
    }

    @Test
    void aPatchWithoutTheFieldsIsStackedAndDeclaresNoStateAndItsManifestIsUnchanged() throws Exception {
        byte[] manifest = PatchFormat.manifestBytes(stacked());
        String json = new String(manifest, StandardCharsets.UTF_8);
        assertFalse(json.contains("\"replace\""), json);
        assertFalse(json.contains("\"states\""), json);
        Patch back = PatchFormat.read(PatchFormat.toBytes(stacked()), "p.lp4j");
        assertFalse(back.replace());
        assertEquals(List.of(), back.states());
    }

    @Test
    void aFormatOnePatchReadsAsStacked() throws Exception {
        byte[] file = edit(PatchFormat.toBytes(stacked()), j -> j.replace("\"format\": 2", "\"format\": 1"));
        Patch back = PatchFormat.read(file, "old.lp4j");
        assertFalse(back.replace());
        assertEquals(List.of(), back.states());
    }

    @Test
    void badValuesAreRefusedWithWhatToDo() throws Exception {
        byte[] file = PatchFormat.toBytes(cumulative());
        assertRefused(edit(file, j -> j.replace("\"replace\": true", "\"replace\": \"yes\"")), "\"replace\"", "true");
        assertRefused(edit(file, j -> j.replace("\"version\": 2", "\"version\": 0")), "versions start at 1");
        assertRefused(edit(file, j -> j.replace("\"version\": 2", "\"version\": 1.5")), "not a whole number");
        assertRefused(edit(file, j -> j.replace("\"version\": 2", "\"version\": \"2\"")), "not a whole number");
        assertRefused(edit(file, j -> j.replace("\"id\": \"session-format\"", "\"id\": \"\"")), "empty id");
        assertRefused(edit(file, j -> j.replace("\"id\": \"cache\"", "\"id\": \"session-format\"")), "declared twice");
        assertRefused(edit(file, j -> j.replace("\"id\": \"cache\"", "\"name\": \"cache\"")), "without a text \"id\"");
    }

    @Test
    void parseTakesIdEqualsVersionAndRefusesTheRest() throws Exception {
        assertEquals(new PatchState("session-format", 2), PatchState.parse("session-format=2"));
        assertThrows(PatchException.class, () -> PatchState.parse("session-format"));
        assertThrows(PatchException.class, () -> PatchState.parse("=2"));
        assertThrows(PatchException.class, () -> PatchState.parse("a=0"));
        assertThrows(PatchException.class, () -> PatchState.parse("a=two"));
    }

    @Test
    void signatureCoversReplaceAndStates() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance(PatchSigning.ALGORITHM).generateKeyPair();
        byte[] signed = PatchFormat.toBytes(PatchSigning.sign(cumulative(), keys.getPrivate(), keys.getPublic()));
        assertDoesNotThrow(() -> PatchSigning.verify(PatchFormat.read(signed, "s.lp4j"), List.of(keys.getPublic())));
        for (java.util.function.UnaryOperator<String> change : List.<java.util.function.UnaryOperator<String>>of(
            j -> j.replace("\"replace\": true", "\"replace\": false"),
            j -> j.replace("  \"replace\": true,\n", ""),
            j -> j.replace("\"version\": 2", "\"version\": 3"),
            j -> j.replace("\"id\": \"cache\"", "\"id\": \"other\""))) {
            byte[] edited = edit(signed, change);
            Patch p = PatchFormat.read(edited, "edited.lp4j");
            PatchException e = assertThrows(PatchException.class, () -> PatchSigning.verify(p, List.of(keys.getPublic())));
            assertTrue(e.getMessage().contains("changed after signing"), e.getMessage());
        }
    }

    @Test
    void aSignedPatchFromBeforeCumulativePatchesStillVerifies() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance(PatchSigning.ALGORITHM).generateKeyPair();
        byte[] signed = PatchFormat.toBytes(PatchSigning.sign(stacked(), keys.getPrivate(), keys.getPublic()));
        assertDoesNotThrow(() -> PatchSigning.verify(PatchFormat.read(signed, "s.lp4j"), List.of(keys.getPublic())));
    }

    private static void assertRefused(byte[] file, String... words) {
        PatchException e = assertThrows(PatchException.class, () -> PatchFormat.read(file, "bad.lp4j"));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), e.getMessage());
        }
        assertTrue(e.getMessage().contains("lp4j build"), e.getMessage());
    }

    /** The patch file with its patch.json changed by {@code change}; every other entry as it was. */
    private static byte[] edit(byte[] file, java.util.function.UnaryOperator<String> change) throws Exception {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        String json = new String(entries.get(PatchFormat.MANIFEST), StandardCharsets.UTF_8);
        String edited = change.apply(json);
        assertFalse(json.equals(edited), "the edit applies to:\n" + json);
        entries.put(PatchFormat.MANIFEST, edited.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
