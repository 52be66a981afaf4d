package io.livepatch4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livepatch4j.demo.Operation.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationTest {

    private static Operation parse(String method, String path) {
        return Operation.parse(method, path, name -> null);
    }

    private static int rejectedWith(Operation operation) {
        assertEquals(Kind.REJECTED, operation.kind());
        return operation.rejection().status();
    }

    @Test
    void kvPathsNameTheKeyAfterTheSlash() {
        Operation get = parse("GET", "/kv/private/item-0");
        assertEquals(Kind.GET, get.kind());
        assertEquals("private/item-0", get.key());
        assertEquals(Kind.PUT, parse("PUT", "/kv/a").kind());
        assertEquals(Kind.DELETE, parse("DELETE", "/kv/a").kind());
    }

    @Test
    void onlyKeysUnderThePrivateNamespaceNeedTheApiKey() {
        assertTrue(parse("GET", "/kv/private/x").touchesPrivateKey());
        assertFalse(parse("GET", "/kv/privatex").touchesPrivateKey());
        assertFalse(parse("GET", "/kv/Private/x").touchesPrivateKey());
        assertFalse(parse("GET", "/kv/x/private/y").touchesPrivateKey());
        assertFalse(parse("GET", "/report").touchesPrivateKey());
    }

    @Test
    void keyLimitCountsUtf8BytesAndIsInclusive() {
        assertEquals(Kind.GET, parse("GET", "/kv/" + "k".repeat(256)).kind());
        assertEquals(400, rejectedWith(parse("GET", "/kv/" + "k".repeat(257))));
        assertEquals(Kind.GET, parse("GET", "/kv/" + "é".repeat(128)).kind());
        assertEquals(400, rejectedWith(parse("GET", "/kv/" + "é".repeat(129))));
    }

    @Test
    void malformedKeysAreRefusedWith400() {
        for (String path : new String[] {"/kv", "/kv/", "/kv/a/", "/kv//a", "/kv/a//b", "/kv/./a", "/kv/a/..",
                "/kv/a\u0000b", "/kv/a\nb", "/kv/a\u007fb", null}) {
            assertEquals(400, rejectedWith(parse("GET", path)), String.valueOf(path));
        }
    }

    @Test
    void unknownPathsGet404AndWrongMethods405() {
        assertEquals(404, rejectedWith(parse("GET", "/")));
        assertEquals(404, rejectedWith(parse("GET", "/kvx/a")));
        Operation brew = parse("BREW", "/kv/a");
        assertEquals(405, rejectedWith(brew));
        assertEquals("GET, PUT, DELETE", brew.rejection().allow());
        assertEquals(405, rejectedWith(parse("PUT", "/report")));
        assertEquals(405, rejectedWith(parse("POST", "/health")));
        assertEquals(405, rejectedWith(parse("DELETE", "/admin/checksum")));
    }

    @Test
    void reportPassesAreBoundedAndDefaultToOne() {
        Operation plain = parse("GET", "/report");
        assertEquals(Kind.REPORT, plain.kind());
        assertEquals(1, plain.passes());
        assertEquals("", plain.prefix());

        Operation scaled = Operation.parse("GET", "/report", Map.of("passes", "1000", "prefix", "item-1")::get);
        assertEquals(1000, scaled.passes());
        assertEquals("item-1", scaled.prefix());
        for (String passes : new String[] {"0", "1001", "-1", "two", ""}) {
            assertEquals(400, rejectedWith(Operation.parse("GET", "/report", Map.of("passes", passes)::get)), passes);
        }
    }
}
