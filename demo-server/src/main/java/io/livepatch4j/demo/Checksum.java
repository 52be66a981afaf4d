package io.livepatch4j.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A digest of the whole store, for tests that must prove the data survived something (a live
 * patch, a checkpoint/restore): SHA-256 over the entries in key order, each as its UTF-8 key, a
 * zero byte, the value's length (4 bytes, big-endian) and the value. Taken while writes run, it
 * reflects some mix of before and after them; take it when the store is quiet.
 */
final class Checksum {

    private Checksum() {}

    static String of(KeyValueStore store) {
        List<String> keys = new ArrayList<>(store.view().keySet());
        Collections.sort(keys);
        MessageDigest sha256 = sha256();
        ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
        int counted = 0;
        for (String key : keys) {
            byte[] value = store.get(key);
            if (value == null) {
                continue; // deleted since the key list was taken
            }
            sha256.update(key.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(length.clear().putInt(value.length).array());
            sha256.update(value);
            counted++;
        }
        return "keys=" + counted + "\n" + "sha256=" + HexFormat.of().formatHex(sha256.digest()) + "\n";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java SE runtime must have", e);
        }
    }
}
