package io.livepatch4j.demo;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory cache the server serves: keys to byte values, safe for concurrent requests.
 *
 * <p>{@link #filled} makes the same content for the same arguments on every run, so two servers
 * (v1 and v2, or one before and after a checkpoint/restore) can be compared by checksum.
 */
final class KeyValueStore {

    /** Keys under this prefix need the API key; every 100th filled key is one. */
    static final String PRIVATE_NAMESPACE = "private/";

    private static final byte[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyz0123456789".getBytes(StandardCharsets.US_ASCII);

    private final ConcurrentHashMap<String, byte[]> entries;

    private KeyValueStore(int expectedKeys) {
        this.entries = new ConcurrentHashMap<>(Math.max(16, expectedKeys * 4 / 3 + 1));
    }

    /**
     * A store of {@code keys} entries: {@code item-<i>}, except that every 100th is
     * {@code private/item-<i>} (so {@code private/item-0} exists whenever keys > 0). Each value is
     * {@code valueSize} bytes: a readable prefix ({@code value-<i>-} or {@code secret-<i>-}) then
     * letters and digits drawn from a generator seeded with {@code i}.
     */
    static KeyValueStore filled(int keys, int valueSize) {
        KeyValueStore store = new KeyValueStore(keys);
        for (int i = 0; i < keys; i++) {
            boolean secret = i % 100 == 0;
            String key = (secret ? PRIVATE_NAMESPACE : "") + "item-" + i;
            store.entries.put(key, filledValue(i, secret, valueSize));
        }
        return store;
    }

    private static byte[] filledValue(int i, boolean secret, int valueSize) {
        byte[] value = new byte[valueSize];
        byte[] prefix = ((secret ? "secret-" : "value-") + i + "-").getBytes(StandardCharsets.US_ASCII);
        int prefixLength = Math.min(prefix.length, valueSize);
        System.arraycopy(prefix, 0, value, 0, prefixLength);
        SplittableRandom random = new SplittableRandom(i);
        for (int b = prefixLength; b < valueSize; b++) {
            value[b] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return value;
    }

    static boolean isPrivate(String key) {
        return key.startsWith(PRIVATE_NAMESPACE);
    }

    /** The value, or null. The array is shared: callers must not modify it. */
    byte[] get(String key) {
        return entries.get(key);
    }

    /** Stores {@code value} (the store keeps the array); true if the key was new. */
    boolean put(String key, byte[] value) {
        return entries.put(key, value) == null;
    }

    /** True if the key was there. */
    boolean remove(String key) {
        return entries.remove(key) != null;
    }

    int size() {
        return entries.size();
    }

    /**
     * A read-only live view for scans. Iteration is weakly consistent: it never fails under
     * concurrent writes, and sees each entry at most once.
     */
    Map<String, byte[]> view() {
        return Collections.unmodifiableMap(entries);
    }
}
