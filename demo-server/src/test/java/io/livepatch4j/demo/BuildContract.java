package io.livepatch4j.demo;

import static io.livepatch4j.demo.DemoServerProcess.API_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livepatch4j.demo.client.ResponseCheck;
import io.livepatch4j.demo.client.ResponseCheck.ServedVersion;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What both builds must do the same, over real HTTP against a build started as a child process:
 * CRUD, refusing bad requests with a 4xx while serving on, the slow and admin endpoints, and
 * stamping every response with their own version only. Subclasses add what differs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BuildContract {

    /** Keys filled by {@code smallStore()}: 2000, of which every 100th is private. */
    static final int KEYS = 2000;

    DemoServerProcess server;

    abstract String version();

    ServedVersion servedVersion() {
        return version().equals("v1") ? ServedVersion.V1 : ServedVersion.V2;
    }

    @BeforeAll
    void startServer() throws Exception {
        server = DemoServerProcess.fromClasses(version(), DemoServerProcess.smallStore());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readyLineNamesThisBuild() {
        assertEquals(version(), server.version);
        assertEquals(KEYS, server.keys);
        assertTrue(server.port > 0);
        assertEquals(server.processPid(), server.pid);
    }

    @Test
    void fullApiKeyReadsAndWritesPrivateKeys() throws Exception {
        HttpResponse<String> read = server.get("/kv/private/item-0", ResponseCheck.API_KEY, API_KEY);
        assertEquals(200, read.statusCode());
        assertTrue(read.body().startsWith("secret-0-"), read.body());

        HttpResponse<String> write = server.send("PUT", "/kv/private/contract-" + version(),
                BodyPublishers.ofString("mine"), ResponseCheck.API_KEY, API_KEY);
        assertEquals(201, write.statusCode(), write.body());
    }

    @Test
    void missingWrongOrLongerApiKeyIsRefused() throws Exception {
        assertEquals(403, server.get("/kv/private/item-0").statusCode());
        assertEquals(403, server.get("/kv/private/item-0", ResponseCheck.API_KEY, "not-the-key").statusCode());
        assertEquals(403, server.get("/kv/private/item-0", ResponseCheck.API_KEY, API_KEY + "x").statusCode());
        HttpResponse<String> write = server.send("PUT", "/kv/private/item-0", BodyPublishers.ofString("overwritten"),
                ResponseCheck.API_KEY, "not-the-key");
        assertEquals(403, write.statusCode());
        assertTrue(write.body().contains(ResponseCheck.API_KEY), "the 403 says which header is needed: " + write.body());
    }

    @Test
    void putGetDeleteRoundTrip() throws Exception {
        String path = "/kv/crud-" + version() + "/caf%C3%A9";
        assertEquals(404, server.get(path).statusCode());
        assertEquals(201, server.send("PUT", path, BodyPublishers.ofString("first")).statusCode());
        assertEquals("first", server.get(path).body());
        assertEquals(200, server.send("PUT", path, BodyPublishers.ofString("second")).statusCode());
        assertEquals("second", server.get(path).body());
        assertEquals(204, server.send("DELETE", path, BodyPublishers.noBody()).statusCode());
        assertEquals(404, server.get(path).statusCode());
        assertEquals(404, server.send("DELETE", path, BodyPublishers.noBody()).statusCode());
    }

    @Test
    void filledValuesAreServed() throws Exception {
        HttpResponse<String> value = server.get("/kv/item-1");
        assertEquals(200, value.statusCode());
        assertEquals(64, value.body().length());
        assertTrue(value.body().startsWith("value-1-"), value.body());
    }

    @Test
    void malformedRequestsGet400AndTheServerKeepsServing() throws Exception {
        // Refused by the demo's own parser: plain-text reason, stamped like any response.
        for (String path : List.of("/kv/", "/kv", "/kv/a/", "/kv/a%20b/", "/report?passes=0",
                "/report?passes=lots", "/report?passes=%zz")) {
            String response = server.raw("GET " + path + " HTTP/1.1\r\nHost: test");
            assertTrue(response.startsWith("HTTP/1.1 400 "), path + " -> " + response);
            assertEquals(servedVersion(), ResponseCheck.classifyServedBy(header(response, ResponseCheck.SERVED_BY)),
                    path + " -> " + response);
            assertTrue(header(response, "Content-Type").startsWith("text/plain"), path + " -> " + response);
        }
        // Refused by Jetty before the demo's code runs: still a plain-text 400, but unstamped.
        for (String path : List.of("/kv//x", "/kv/%zz", "/kv/a%00b", "/kv/a%2Fb", "/kv/%C3%28", "/kv/a%01b")) {
            String response = server.raw("GET " + path + " HTTP/1.1\r\nHost: test");
            assertTrue(response.startsWith("HTTP/1.1 400 "), path + " -> " + response);
            assertEquals(ServedVersion.UNKNOWN, ResponseCheck.classifyServedBy(header(response, ResponseCheck.SERVED_BY)));
            assertTrue(header(response, "Content-Type").startsWith("text/plain"), path + " -> " + response);
        }
        assertTrue(server.raw("NONSENSE").startsWith("HTTP/1.1 400 "));
        assertTrue(server.raw("GET /health HTTP/9.9\r\nHost: test").startsWith("HTTP/1.1 505 "));

        assertEquals(200, server.get("/health").statusCode(), "the server still serves after bad requests");
        assertTrue(server.isAlive());
    }

    @Test
    void oversizedKeyGets400AndTheLimitIsInclusive() throws Exception {
        HttpResponse<String> tooLong = server.get("/kv/" + "k".repeat(257));
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("257 bytes"), tooLong.body());
        // The limit counts UTF-8 bytes: 129 two-byte characters are 258 bytes.
        assertEquals(400, server.get("/kv/" + "%C3%A9".repeat(129)).statusCode());
        assertEquals(404, server.get("/kv/" + "k".repeat(256)).statusCode(), "a 256-byte key is a valid key");
    }

    @Test
    void oversizedValueGets413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] tooBig = new byte[4097];
        HttpResponse<String> declared = server.send("PUT", "/kv/big", BodyPublishers.ofByteArray(tooBig));
        assertEquals(413, declared.statusCode());
        assertTrue(declared.body().contains("4096"), "the 413 names the limit: " + declared.body());
        // No Content-Length: the body is chunked and the server counts as it reads.
        HttpResponse<String> chunked = server.send("PUT", "/kv/big",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooBig)));
        assertEquals(413, chunked.statusCode());
        assertEquals(404, server.get("/kv/big").statusCode(), "a refused value is not stored");

        assertEquals(201, server.send("PUT", "/kv/big", BodyPublishers.ofByteArray(new byte[4096])).statusCode());
        assertEquals(4096, server.get("/kv/big").body().length());
    }

    @Test
    void unknownMethodsGet405WithAllow() throws Exception {
        for (String method : List.of("BREW", "PATCH", "POST", "HEAD")) {
            HttpResponse<String> response = server.send(method, "/kv/item-1", BodyPublishers.noBody());
            assertEquals(405, response.statusCode(), method);
            assertEquals("GET, PUT, DELETE", response.headers().firstValue("Allow").orElse(null), method);
        }
        assertEquals(405, server.send("DELETE", "/report", BodyPublishers.noBody()).statusCode());
        assertEquals(404, server.get("/no/such/thing").statusCode());
        assertEquals(200, server.get("/kv/item-1").statusCode());
    }

    @Test
    void everyResponseIsStampedWithThisBuildOnly() throws Exception {
        Map<String, HttpResponse<String>> responses = Map.of(
                "200 value", server.get("/kv/item-2"),
                "200 private", server.get("/kv/private/item-100", ResponseCheck.API_KEY, API_KEY),
                "201 put", server.send("PUT", "/kv/stamped-" + version(), BodyPublishers.ofString("x")),
                "204 delete", server.send("DELETE", "/kv/stamped-" + version(), BodyPublishers.noBody()),
                "403", server.get("/kv/private/item-100"),
                "404", server.get("/kv/absent"),
                "405", server.send("BREW", "/kv/x", BodyPublishers.noBody()),
                "report", server.get("/report"),
                "checksum", server.get("/admin/checksum"),
                "health", server.get("/health"));
        responses.forEach((what, response) -> {
            String servedBy = response.headers().firstValue(ResponseCheck.SERVED_BY).orElse(null);
            assertEquals("access=" + version() + ";render=" + version(), servedBy, what);
            assertEquals(servedVersion(), ResponseCheck.classify(name -> response.headers().firstValue(name).orElse(null)), what);
            assertEquals(0L, ResponseCheck.generation(name -> response.headers().firstValue(name).orElse(null)).orElseThrow(),
                    what + ": without the agent every request runs generation 0");
        });
    }

    @Test
    void reportScansTheStoreAndScalesWithPasses() throws Exception {
        // Other tests write keys, but none under item-: those are exactly the filled public keys.
        String filled = server.get("/report?prefix=item-&passes=3").body();
        int publicKeys = KEYS - KEYS / 100;
        assertTrue(filled.contains("keys=" + publicKeys + "\n"), filled);
        assertTrue(filled.contains("private_keys=0\n"), filled);
        assertTrue(filled.contains("value_bytes=" + publicKeys * 64 + "\n"), "counts are per pass: " + filled);
        assertTrue(filled.contains("min_value_bytes=64\nmax_value_bytes=64\n"), filled);
        assertTrue(filled.contains("passes=3\n"), filled);

        String whole = server.get("/report").body();
        assertTrue(reportField(whole, "keys") >= KEYS, whole);
        assertTrue(reportField(whole, "private_keys") >= KEYS / 100, whole);
        assertTrue(whole.contains("passes=1\n"), whole);
    }

    @Test
    void checksumIsStableAndFollowsWrites() throws Exception {
        String before = server.get("/admin/checksum").body();
        assertEquals(before, server.get("/admin/checksum").body(), "no writes, same checksum");

        String path = "/kv/checksum-" + version();
        server.send("PUT", path, BodyPublishers.ofString("v"));
        String after = server.get("/admin/checksum").body();
        assertNotEquals(before, after);
        assertEquals(reportField(before, "keys") + 1, reportField(after, "keys"));

        server.send("DELETE", path, BodyPublishers.noBody());
        assertEquals(before, server.get("/admin/checksum").body(), "the checksum depends only on the content");
    }

    @Test
    void healthNamesVersionAndGeneration() throws Exception {
        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().startsWith("ok version=" + version() + " generation=0 keys="), health.body());
    }

    /** A {@code name=number} line of a plain-text body (report, checksum). */
    private static long reportField(String body, String name) {
        return Long.parseLong(body.lines().filter(l -> l.startsWith(name + "=")).findFirst().orElseThrow()
                .substring(name.length() + 1));
    }

    /** A header of a raw response, or null; names match regardless of case. */
    static String header(String rawResponse, String name) {
        String head = rawResponse.split("\r\n\r\n", 2)[0];
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
