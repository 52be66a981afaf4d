package io.livepatch4j.patch;

import io.livepatch4j.patch.sign.PatchSigning;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The patch reader against hostile files (issue 14, item 4): it reads patch.json and checks its
 * signature before inflating anything else, counts what it inflates instead of trusting the zip's
 * sizes, and refuses past the limits of docs/patch-format.md with one line. Bytes inflated are
 * counted by the reader itself, so these tests measure cost without timing anything.
 */
class PatchReaderLimitsTest {

    private static final byte[] CLASS = "not really a class, the reader does not parse it".getBytes(StandardCharsets.UTF_8);

    private static Patch patch(List<ClassPatch> classes) {
        return new Patch("fix-1", "livepatch4j test", "2026-01-01T00:00:00Z", null, classes, List.of(), null);
    }

    private static Patch onePatch() {
        return patch(List.of(new ClassPatch("com.acme.Subject", "ab".repeat(32), CLASS,
            List.of(new Change(ChangeKind.METHOD_BODY, "run()V")))));
    }

    /** A patch file as PatchFormat writes it, followed by extra entries (name, size of zeros). */
    private static byte[] withExtra(Patch patch, String name, long zeros, int copies) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(PatchFormat.toBytes(patch)));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(in.readAllBytes());
                zip.closeEntry();
            }
            zip.setLevel(9);
            byte[] chunk = new byte[1 << 20];
            for (int c = 0; c < copies; c++) {
                zip.putNextEntry(new ZipEntry(copies == 1 ? name : name.replace("#", String.valueOf(c))));
                for (long left = zeros; left > 0; left -= chunk.length) {
                    zip.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static PublicKey someKey() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    }

    private static void assertOneLine(PatchException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void unsignedZeroPaddedPatchIsRefusedAfterInflatingOnlyItsManifest() throws Exception {
        Patch p = onePatch();
        // 384 MiB of zeros compress to about 384 KiB: the file the issue's JVM died of, in three
        // entries inside the format and one outside it.
        byte[] file = withExtra(p, "classes/pad/Zero#.class", 128L << 20, 3);
        assertTrue(file.length < 1 << 20, "the padded file is small: " + file.length);
        PatchZip zip = PatchZip.open(file, "padded.lp4j");
        PatchException e = assertThrows(PatchException.class,
            () -> PatchFormat.read(zip, "padded.lp4j", List.of(someKey())));
        assertTrue(e.getMessage().contains("patch file padded.lp4j is unsigned"), e.getMessage());
        assertEquals(PatchFormat.manifestBytes(p).length, zip.inflatedBytes(), "only patch.json was inflated");
        assertOneLine(e);
    }

    @Test
    void foreignSignedPatchIsRefusedBeforeItsClassesInflate() throws Exception {
        KeyPair signer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Patch signed = PatchSigning.sign(onePatch(), signer.getPrivate(), signer.getPublic());
        byte[] file = PatchFormat.toBytes(signed);
        PatchZip zip = PatchZip.open(file, "foreign.lp4j");
        PatchException e = assertThrows(PatchException.class,
            () -> PatchFormat.read(zip, "foreign.lp4j", List.of(someKey())));
        assertTrue(e.getMessage().contains("which this JVM's agent does not trust"), e.getMessage());
        assertTrue(zip.inflatedBytes() < PatchFormat.manifestBytes(signed).length + 1024,
            "patch.json and the signature only: " + zip.inflatedBytes());

        Patch read = PatchFormat.read(file, "signed.lp4j", List.of(signer.getPublic()));
        assertArrayEquals(CLASS, read.classes().get(0).targetBytes(), "the trusted key reads it whole");
    }

    @Test
    void entriesOutsideTheFormatAreNeverInflated() throws Exception {
        Patch p = onePatch();
        byte[] file = withExtra(p, "junk/zeros#.bin", 64L << 20, 2);
        PatchZip zip = PatchZip.open(file, "junk.lp4j");
        Patch read = PatchFormat.read(zip, "junk.lp4j", List.of());
        assertEquals("fix-1", read.id());
        assertEquals(PatchFormat.manifestBytes(p).length + CLASS.length, zip.inflatedBytes());
    }

    @Test
    void zipBombOfManyEntriesIsRefusedByItsCentralDirectory() throws Exception {
        byte[] file = withExtra(onePatch(), "e/#", 0, PatchZip.MAX_ENTRIES);
        PatchZip[] opened = new PatchZip[1];
        PatchException e = assertThrows(PatchException.class, () -> opened[0] = PatchZip.open(file, "many.lp4j"));
        assertTrue(e.getMessage().contains("it has " + (PatchZip.MAX_ENTRIES + 2) + " entries; a patch has at most "
            + PatchZip.MAX_ENTRIES), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void entryThatInflatesPastItsLimitIsRefusedWhateverItsHeaderSays() throws Exception {
        // A class entry whose central directory claims 48 bytes and inflates to 17 MiB.
        byte[] zeros = new byte[(int) PatchFormat.MAX_CLASS_BYTES + (1 << 20)];
        Patch p = patch(List.of(new ClassPatch("com.acme.Subject", "ab".repeat(32), zeros, List.of())));
        byte[] file = PatchFormat.toBytes(p);
        lieAboutSizes(file, "classes/com/acme/Subject.class", 48);
        PatchException e = assertThrows(PatchException.class, () -> PatchFormat.read(file, "big.lp4j"));
        assertTrue(e.getMessage().contains("refused: big.lp4j is not a livepatch4j patch: entry "
            + "classes/com/acme/Subject.class inflates to more than 16 MiB"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void entriesThatTogetherInflatePastTheTotalAreRefused() throws Exception {
        // Each class is under the per-entry limit; together they pass the total (all zeros: one SHA-256).
        byte[] zeros = new byte[(int) PatchFormat.MAX_CLASS_BYTES - 1];
        int n = (int) (PatchZip.MAX_TOTAL_BYTES / zeros.length) + 1;
        List<ClassPatch> classes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            classes.add(new ClassPatch("com.acme.C" + i, "ab".repeat(32), zeros, List.of()));
        }
        byte[] file = PatchFormat.toBytes(patch(classes));
        PatchException e = assertThrows(PatchException.class, () -> PatchFormat.read(file, "total.lp4j"));
        assertTrue(e.getMessage().contains("its entries inflate to more than 256 MiB together"), e.getMessage());
    }

    @Test
    void aClassFilePatchJsonNamesManyTimesIsInflatedAndHashedOnce() throws Exception {
        // patch.json may name one entry thousands of times; each name must not cost another 8 MiB.
        byte[] zeros = new byte[8 << 20];
        ClassPatch c = new ClassPatch("com.acme.Subject", "ab".repeat(32), zeros, List.of());
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(
            new String(PatchFormat.manifestBytes(patch(List.of(c))), StandardCharsets.UTF_8)).getAsJsonObject();
        com.google.gson.JsonElement one = json.getAsJsonArray("classes").get(0);
        for (int i = 1; i < 2000; i++) {
            json.getAsJsonArray("classes").add(one);
        }
        byte[] manifest = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(PatchFormat.MANIFEST));
            zip.write(manifest);
            zip.putNextEntry(new ZipEntry("classes/com/acme/Subject.class"));
            zip.write(zeros);
            zip.closeEntry();
        }
        PatchZip zip = PatchZip.open(out.toByteArray(), "many.lp4j");
        long start = System.nanoTime();
        Patch read = PatchFormat.read(zip, "many.lp4j", List.of());
        assertEquals(2000, read.classes().size());
        assertEquals(manifest.length + zeros.length, zip.inflatedBytes(), "the class entry was inflated once");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "hashed once, not 2000 times (16 GB of SHA-256, "
            + "minutes): " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Test
    void duplicateEntriesAreRefused() throws Exception {
        byte[] file = withExtra(onePatch(), "classes/AAAA#.class", 1, 2);
        replaceAll(file, "classes/AAAA1.class", "classes/AAAA0.class");
        PatchException e = assertThrows(PatchException.class, () -> PatchFormat.read(file, "dup.lp4j"));
        assertTrue(e.getMessage().contains("entry classes/AAAA0.class appears twice"), e.getMessage());
    }

    @Test
    void fileLargerThanAnyPatchIsRefusedUnread() {
        PatchException e = assertThrows(PatchException.class,
            () -> PatchFormat.read(new byte[(int) PatchFormat.MAX_FILE_BYTES + 1], "huge.lp4j"));
        assertTrue(e.getMessage().startsWith("refused: huge.lp4j is "), e.getMessage());
    }

    @Test
    void notAZipIsOneLine() {
        for (byte[] junk : List.of(new byte[0], "PK\u0005\u0006".getBytes(StandardCharsets.ISO_8859_1), new byte[100])) {
            PatchException e = assertThrows(PatchException.class, () -> PatchFormat.read(junk, "junk"));
            assertOneLine(e);
        }
    }

    @Test
    void aTruncatedPatchIsCalledTruncated() throws Exception {
        byte[] file = PatchFormat.toBytes(onePatch());
        PatchException e = assertThrows(PatchException.class,
            () -> PatchFormat.read(java.util.Arrays.copyOf(file, file.length / 2), "cut.lp4j"));
        assertTrue(e.getMessage().startsWith("cut.lp4j is not a readable patch file") && e.getMessage()
            .contains("truncated or corrupted"), e.getMessage());
    }

    /** Sets the sizes a central directory record gives for {@code name} (the local header's are zero). */
    private static void lieAboutSizes(byte[] zip, String name, int size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + 46 + n.length <= zip.length; p++) {
            if (zip[p] == 'P' && zip[p + 1] == 'K' && zip[p + 2] == 1 && zip[p + 3] == 2
                && java.util.Arrays.equals(zip, p + 46, p + 46 + n.length, n, 0, n.length)) {
                for (int i = 0; i < 4; i++) {
                    zip[p + 24 + i] = (byte) (size >>> (8 * i));
                }
                return;
            }
        }
        throw new AssertionError(name + " not found");
    }

    private static void replaceAll(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + f.length <= bytes.length; p++) {
            if (java.util.Arrays.equals(bytes, p, p + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, bytes, p, t.length);
            }
        }
    }
}
