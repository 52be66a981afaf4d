package io.livepatch4j.demo;

import static io.livepatch4j.demo.DemoServerProcess.API_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livepatch4j.demo.client.ResponseCheck;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The v1 build: the shared contract, plus the bug v2 fixes, shown the way a user would meet it.
 * These tests pin the bug so the demo keeps having something to patch.
 */
class V1BuildTest extends BuildContract {

    @Override
    String version() {
        return "v1";
    }

    @Test
    void emptyApiKeyLeaksPrivateValue() throws Exception {
        String response = server.raw("GET /kv/private/item-0 HTTP/1.1\r\nHost: test\r\n" + ResponseCheck.API_KEY + ":");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.contains("\r\n\r\nsecret-0-"), response);
    }

    @Test
    void anyPrefixOfTheApiKeyLeaksAndOverwritesPrivateValues() throws Exception {
        for (String prefix : new String[] {API_KEY.substring(0, 1), API_KEY.substring(0, API_KEY.length() - 1)}) {
            HttpResponse<String> read = server.get("/kv/private/item-100", ResponseCheck.API_KEY, prefix);
            assertEquals(200, read.statusCode(), "X-Api-Key: " + prefix);
            assertTrue(read.body().startsWith("secret-100-"), read.body());
        }
        HttpResponse<String> write = server.send("PUT", "/kv/private/item-200", BodyPublishers.ofString("defaced"),
                ResponseCheck.API_KEY, API_KEY.substring(0, 1));
        assertEquals(200, write.statusCode(), write.body());
        assertEquals("defaced", server.get("/kv/private/item-200", ResponseCheck.API_KEY, API_KEY).body());
    }
}
