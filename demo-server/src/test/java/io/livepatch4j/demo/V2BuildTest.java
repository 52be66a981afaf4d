package io.livepatch4j.demo;

import static io.livepatch4j.demo.DemoServerProcess.API_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livepatch4j.demo.client.ResponseCheck;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The v2 build: the shared contract, plus the fix of v1's leak: the same requests get 403. */
class V2BuildTest extends BuildContract {

    @Override
    String version() {
        return "v2";
    }

    @Test
    void emptyApiKeyIsRefused() throws Exception {
        String response = server.raw("GET /kv/private/item-0 HTTP/1.1\r\nHost: test\r\n" + ResponseCheck.API_KEY + ":");
        assertTrue(response.startsWith("HTTP/1.1 403 "), response);
        assertFalse(response.contains("secret-0-"), response);
    }

    @Test
    void prefixesOfTheApiKeyAreRefusedForReadsAndWrites() throws Exception {
        for (String prefix : new String[] {API_KEY.substring(0, 1), API_KEY.substring(0, API_KEY.length() - 1)}) {
            HttpResponse<String> read = server.get("/kv/private/item-100", ResponseCheck.API_KEY, prefix);
            assertEquals(403, read.statusCode(), "X-Api-Key: " + prefix);
            assertFalse(read.body().contains("secret-100-"), read.body());
        }
        HttpResponse<String> write = server.send("PUT", "/kv/private/item-200", BodyPublishers.ofString("defaced"),
                ResponseCheck.API_KEY, API_KEY.substring(0, 1));
        assertEquals(403, write.statusCode(), write.body());
        assertTrue(server.get("/kv/private/item-200", ResponseCheck.API_KEY, API_KEY).body().startsWith("secret-200-"));
    }

    @Test
    void privateResponsesAreNotCacheable() throws Exception {
        HttpResponse<String> secret = server.get("/kv/private/item-0", ResponseCheck.API_KEY, API_KEY);
        assertEquals("no-store", secret.headers().firstValue("Cache-Control").orElse(null));
        HttpResponse<String> open = server.get("/kv/item-1");
        assertTrue(open.headers().firstValue("Cache-Control").isEmpty(), "public values stay cacheable");
    }
}
