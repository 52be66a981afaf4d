package io.livepatch4j.patch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A patch file's zip, read from its central directory so that each entry is inflated only when the
 * reader asks for it: patch.json and its signature first, then only the class entries patch.json
 * names. Nothing a hostile file declares is trusted: the entry count, each entry's inflated size and
 * the total are counted while reading, and refused past the limits of docs/patch-format.md.
 */
final class PatchZip {

    /** Central directory records (real patches: a few hundred classes). */
    static final int MAX_ENTRIES = 10_000;
    /** Inflated bytes of all entries read together (real patches: a few MB). */
    static final long MAX_TOTAL_BYTES = 256L << 20;

    private static final int EOCD = 0x06054b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    /** Where one entry's data is, as the central directory says; the sizes are checked, never trusted. */
    private record Entry(String name, int method, int flags, long crc, long compressed, long size, long local) {
    }

    private final byte[] bytes;
    private final String source;
    private final java.util.Set<String> names = new java.util.HashSet<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, byte[]> inflated = new HashMap<>();
    private final Map<String, String> shas = new HashMap<>();
    private long total;

    private PatchZip(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    /**
     * Reads the central directory: every name, once. Entries outside the patch format (what
     * {@link #inFormat} accepts) are counted and otherwise ignored; none is inflated here.
     */
    static PatchZip open(byte[] bytes, String source) throws PatchException {
        PatchZip zip = new PatchZip(bytes, source);
        zip.readDirectory();
        return zip;
    }

    /** Inflated bytes so far: what reading this file has cost. */
    long inflatedBytes() {
        return total;
    }

    /** The SHA-256 of an entry read with {@link #read}, computed once however often patch.json names it. */
    String sha256(String name, byte[] bytes) {
        return shas.computeIfAbsent(name, n -> Sha256.hex(bytes));
    }

    /**
     * The inflated entry, or null if the file has none by that name (or the name is outside the
     * format). Refused past {@code limit} bytes or past the total left, counted as it inflates.
     */
    byte[] read(String name, long limit) throws PatchException {
        byte[] done = inflated.get(name);
        if (done != null) {
            return done;
        }
        Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        byte[] data = inflate(e, limit);
        inflated.put(name, data);
        return data;
    }

    static boolean inFormat(String name) {
        return name.equals(PatchFormat.MANIFEST) || name.equals(PatchFormat.SIGNATURE)
            || ((name.startsWith("classes/") || name.startsWith("new-classes/")) && name.endsWith(".class"));
    }

    private void readDirectory() throws PatchException {
        int end = findEndRecord();
        if (u16(end + 4) != 0 || u16(end + 6) != 0 || u16(end + 8) != u16(end + 10)) {
            throw corrupt("it is a multi-part zip");
        }
        int count = u16(end + 10);
        long size = u32(end + 12);
        long offset = u32(end + 16);
        if (count == 0xFFFF || size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL) {
            throw corrupt("it is a ZIP64 archive, which a patch never is");
        }
        if (count > MAX_ENTRIES) {
            throw limit("it has " + count + " entries; a patch has at most " + MAX_ENTRIES);
        }
        if (offset + size > end) {
            throw corrupt("its central directory lies outside the file");
        }
        int p = (int) offset;
        for (int i = 0; i < count; i++) {
            if (p + 46 > end || i32(p) != CENTRAL) {
                throw corrupt("central directory record " + (i + 1) + " of " + count + " is damaged");
            }
            int nameLength = u16(p + 28);
            int next = p + 46 + nameLength + u16(p + 30) + u16(p + 32);
            if (next > end) {
                throw corrupt("central directory record " + (i + 1) + " runs past the directory");
            }
            String name = new String(bytes, p + 46, nameLength, StandardCharsets.UTF_8);
            Entry e = new Entry(name, u16(p + 10), u16(p + 8), u32(p + 16), u32(p + 20), u32(p + 24), u32(p + 42));
            if (!names.add(name)) {
                throw new PatchException(source + ": entry " + printable(name) + " appears twice; the file was "
                    + "tampered with or corrupted: rebuild it with 'lp4j build'");
            }
            if (inFormat(name)) {
                entries.put(name, e);
            }
            p = next;
        }
        if (count == 0) {
            throw new PatchException(source + " is not a patch file: it is an empty zip; build patches with 'lp4j build'");
        }
    }

    /** The end of central directory record: the last 22 bytes, or before a comment of up to 64 KiB. */
    private int findEndRecord() throws PatchException {
        for (int p = bytes.length - 22; p >= 0 && p >= bytes.length - 22 - 0xFFFF; p--) {
            if (i32(p) == EOCD && p + 22 + u16(p + 20) == bytes.length) {
                return p;
            }
        }
        if (bytes.length >= 4 && i32(0) == LOCAL) {
            throw corrupt("it starts as a zip but its end (the central directory) is missing");
        }
        throw new PatchException(source + " is not a patch file: it is empty or not a zip/jar (truncated?); build "
            + "patches with 'lp4j build'");
    }

    private byte[] inflate(Entry e, long limit) throws PatchException {
        String what = "entry " + printable(e.name);
        if ((e.flags & 1) != 0) {
            throw corrupt(what + " is encrypted");
        }
        if (e.local < 0 || e.local + 30 > bytes.length || i32((int) e.local) != LOCAL) {
            throw corrupt(what + " has no local header where the central directory says");
        }
        int local = (int) e.local;
        int nameLength = u16(local + 26);
        long start = (long) local + 30 + nameLength + u16(local + 28);
        if (start + e.compressed > bytes.length) {
            throw corrupt(what + " runs past the end of the file");
        }
        if (!new String(bytes, local + 30, nameLength, StandardCharsets.UTF_8).equals(e.name)) {
            throw corrupt(what + " has another name in its local header");
        }
        long allowed = Math.min(limit, MAX_TOTAL_BYTES - total);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.min(e.size, allowed), 1 << 20) + 1);
        long n;
        if (e.method == 0) {
            n = e.compressed;
            if (n > allowed) {
                throw tooLarge(what, limit);
            }
            out.write(bytes, (int) start, (int) n);
        } else if (e.method == 8) {
            n = inflate(e, (int) start, allowed, out, what, limit);
        } else {
            throw corrupt(what + " is compressed with method " + e.method + " (patches use deflate)");
        }
        total += n;
        byte[] data = out.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(data);
        if (data.length != e.size || crc.getValue() != e.crc) {
            throw corrupt(what + " does not match the size and CRC its central directory record gives");
        }
        return data;
    }

    /** Inflates into {@code out}, counting: refused as soon as more than {@code allowed} bytes come out. */
    private long inflate(Entry e, int start, long allowed, ByteArrayOutputStream out, String what, long limit)
        throws PatchException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes, start, (int) e.compressed);
            byte[] buf = new byte[64 << 10];
            long n = 0;
            while (!inflater.finished()) {
                int before = inflater.getRemaining();
                int got = inflater.inflate(buf);
                if (got == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary()
                    || inflater.getRemaining() == before)) {
                    throw corrupt(what + " is truncated or damaged (its compressed data ends early)");
                }
                n += got;
                if (n > allowed) {
                    throw tooLarge(what, limit);
                }
                out.write(buf, 0, got);
            }
            return n;
        } catch (DataFormatException ex) {
            throw corrupt(what + " is damaged (" + ex.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private PatchException tooLarge(String what, long limit) {
        return limit < MAX_TOTAL_BYTES - total
            ? limit(what + " inflates to more than " + bytes(limit) + ", the most a patch entry may hold")
            : limit("its entries inflate to more than " + bytes(MAX_TOTAL_BYTES) + " together (at " + what
                + "), the most a patch may hold");
    }

    private PatchException limit(String why) {
        return new PatchException("refused: " + source + " is not a livepatch4j patch: " + why
            + " (the limits are in docs/patch-format.md); rebuild it with 'lp4j build'");
    }

    private PatchException corrupt(String why) {
        return new PatchException(source + " is not a readable patch file: " + why
            + "; it is truncated or corrupted: copy it again or rebuild it with 'lp4j build'");
    }

    static String bytes(long n) {
        return n >= (1 << 20) && n % (1 << 20) == 0 ? (n >> 20) + " MiB" : n >= 1024 && n % 1024 == 0
            ? (n >> 10) + " KiB" : n + " bytes";
    }

    /** A name as a message may print it: one line, no control characters, not endless. */
    static String printable(String name) {
        return printable(name, 200);
    }

    static String printable(String name, int max) {
        String s = name.length() > max ? name.substring(0, max) + "…" : name;
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private int u16(int p) {
        return (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8;
    }

    private int i32(int p) {
        return u16(p) | u16(p + 2) << 16;
    }

    private long u32(int p) {
        return i32(p) & 0xFFFFFFFFL;
    }
}
