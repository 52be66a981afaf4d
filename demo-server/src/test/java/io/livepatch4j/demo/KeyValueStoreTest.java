package io.livepatch4j.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyValueStoreTest {

    @Test
    void fillingIsTheSameOnEveryRun() {
        KeyValueStore a = KeyValueStore.filled(1000, 50);
        KeyValueStore b = KeyValueStore.filled(1000, 50);
        assertEquals(Checksum.of(a), Checksum.of(b));
        assertArrayEquals(a.get("item-999"), b.get("item-999"));
        assertNotEquals(Checksum.of(a), Checksum.of(KeyValueStore.filled(1000, 51)));
    }

    @Test
    void everyHundredthFilledKeyIsPrivateAndHoldsASecret() {
        KeyValueStore store = KeyValueStore.filled(1000, 50);
        assertEquals(1000, store.size());
        assertEquals(10, store.view().keySet().stream().filter(KeyValueStore::isPrivate).count());
        String secret = new String(store.get("private/item-0"), StandardCharsets.US_ASCII);
        assertTrue(secret.startsWith("secret-0-"), secret);
        assertEquals(50, secret.length());
        assertTrue(new String(store.get("item-1"), StandardCharsets.US_ASCII).startsWith("value-1-"));
        assertEquals(null, store.get("item-100"), "item-100 is private/item-100");
    }

    @Test
    void checksumDependsOnContentNotOnInsertionOrder() {
        KeyValueStore forward = KeyValueStore.filled(0, 1);
        KeyValueStore backward = KeyValueStore.filled(0, 1);
        for (int i = 0; i < 100; i++) {
            forward.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
            backward.put("k" + (99 - i), ("v" + (99 - i)).getBytes(StandardCharsets.UTF_8));
        }
        String checksum = Checksum.of(forward);
        assertEquals(checksum, Checksum.of(backward));
        assertTrue(checksum.startsWith("keys=100\nsha256="), checksum);

        backward.put("k7", "changed".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(checksum, Checksum.of(backward));
        // The length is part of each entry, so moving bytes between key and value changes it too.
        KeyValueStore split1 = KeyValueStore.filled(0, 1);
        split1.put("ab", "c".getBytes(StandardCharsets.UTF_8));
        KeyValueStore split2 = KeyValueStore.filled(0, 1);
        split2.put("a", "bc".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(Checksum.of(split1), Checksum.of(split2));
    }

    @Test
    void reportCountsPerPassAndFiltersByPrefix() {
        KeyValueStore store = KeyValueStore.filled(1000, 50);
        String all = Report.run(store, "", 3);
        assertTrue(all.contains("keys=1000\nprivate_keys=10\nvalue_bytes=50000\n"), all);
        assertTrue(all.contains("passes=3\n"), all);
        String secrets = Report.run(store, "private/", 1);
        assertTrue(secrets.contains("keys=10\nprivate_keys=10\n"), secrets);
        String none = Report.run(store, "nothing-", 1);
        assertTrue(none.contains("keys=0\n"), none);
        assertTrue(none.contains("min_value_bytes=0\n"), none);
    }
}
