package io.livepatch4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServerOptionsTest {

    @Test
    void defaultsServeAHundredThousandKeysOnLoopback() {
        ServerOptions o = ServerOptions.parse();
        assertEquals("127.0.0.1", o.host());
        assertEquals(8080, o.port());
        assertEquals(100_000, o.keys());
        assertEquals(100, o.valueSize());
        assertEquals(64 * 1024, o.maxValueBytes());
        assertEquals(16, o.threads());
        assertEquals(ServerOptions.DEFAULT_API_KEY, o.apiKey());
    }

    @Test
    void everyFlagIsParsed() {
        ServerOptions o = ServerOptions.parse("--port", "0", "--keys", "1_000", "--threads", "3", "--value-size", "10",
                "--max-value-bytes", "20", "--host", "0.0.0.0", "--api-key", "k");
        assertEquals(List.of("0.0.0.0", 0, 1000, 10, 20, 3, "k", false),
                List.of(o.host(), o.port(), o.keys(), o.valueSize(), o.maxValueBytes(), o.threads(), o.apiKey(), o.help()));
        ServerOptions help = ServerOptions.parse("--help");
        assertTrue(help.help());
        assertTrue(help.usageText().contains("--threads=N") && help.usageText().contains("(default: 16)"), help.usageText());
    }

    @Test
    void badArgumentsAreRefusedWithAMessageThatNamesTheFlag() {
        assertMessage("Unknown options: '--prot', '1'", "--prot", "1");
        assertMessage("Missing required parameter for option '--port' (P)", "--port");
        assertMessage("Invalid value for option '--keys': takes a whole number, not 'many'", "--keys", "many");
        assertMessage("--port must be between 0 and 65535, not 70000", "--port", "70000");
        assertMessage("--threads must be between 1 and 10000, not 0", "--threads", "0");
        assertMessage("--api-key must not be empty", "--api-key", "");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse("--value-size", "100", "--max-value-bytes", "50"))
                .getMessage().startsWith("--value-size 100 is larger than --max-value-bytes 50"));
    }

    private static void assertMessage(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(args)).getMessage());
    }
}
