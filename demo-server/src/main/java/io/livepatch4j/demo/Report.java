package io.livepatch4j.demo;

import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The slow endpoint's work: a full scan that aggregates the store as a real service's reporting
 * query would: counts and sizes, the entropy of the value bytes, and how well the values compress
 * (deflating one value in {@value #SAMPLE_EVERY}). At the default size (100,000 values of 100
 * bytes) one pass takes a few tens of milliseconds; {@code passes} repeats the scan so a benchmark
 * can ask for longer requests. No sleeping: the time is spent reading and compressing the store.
 */
final class Report {

    static final int MAX_PASSES = 1_000;

    private static final int SAMPLE_EVERY = 10;

    private Report() {}

    /** Scans the entries whose key starts with {@code prefix}, {@code passes} times. */
    static String run(KeyValueStore store, String prefix, int passes) {
        long started = System.nanoTime();
        long[] byteCounts = new long[256];
        long keys = 0;
        long privateKeys = 0;
        long valueBytes = 0;
        int minValue = Integer.MAX_VALUE;
        int maxValue = 0;
        long sampledBytes = 0;
        long compressedBytes = 0;
        byte[] compressed = new byte[16 * 1024];
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            for (int pass = 0; pass < passes; pass++) {
                for (Map.Entry<String, byte[]> entry : store.view().entrySet()) {
                    if (!entry.getKey().startsWith(prefix)) {
                        continue;
                    }
                    byte[] value = entry.getValue();
                    if (keys % SAMPLE_EVERY == 0) {
                        deflater.setInput(value);
                        while (!deflater.needsInput()) {
                            compressedBytes += deflater.deflate(compressed);
                        }
                        sampledBytes += value.length;
                    }
                    keys++;
                    if (KeyValueStore.isPrivate(entry.getKey())) {
                        privateKeys++;
                    }
                    valueBytes += value.length;
                    minValue = Math.min(minValue, value.length);
                    maxValue = Math.max(maxValue, value.length);
                    for (byte b : value) {
                        byteCounts[b & 0xff]++;
                    }
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                compressedBytes += deflater.deflate(compressed);
            }
        } finally {
            deflater.end();
        }
        double elapsedMillis = (System.nanoTime() - started) / 1e6;
        // Every pass sees the same entries unless writes race with the scan, so report per pass.
        return "keys=" + keys / passes + "\n"
                + "private_keys=" + privateKeys / passes + "\n"
                + "value_bytes=" + valueBytes / passes + "\n"
                + "min_value_bytes=" + (keys == 0 ? 0 : minValue) + "\n"
                + "max_value_bytes=" + maxValue + "\n"
                + "byte_entropy_bits=" + decimal(entropyBits(byteCounts)) + "\n"
                + "sampled_compression_ratio=" + decimal(sampledBytes == 0 ? 1 : (double) compressedBytes / sampledBytes) + "\n"
                + "prefix=" + prefix + "\n"
                + "passes=" + passes + "\n"
                + "scan_ms=" + String.format(Locale.ROOT, "%.1f", elapsedMillis) + "\n";
    }

    /** Shannon entropy of the byte distribution, in bits per byte (0 to 8). */
    private static double entropyBits(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double bits = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }

    private static String decimal(double number) {
        return String.format(Locale.ROOT, "%.4f", number);
    }
}
