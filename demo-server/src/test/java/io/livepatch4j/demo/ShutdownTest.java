package io.livepatch4j.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SIGTERM stops the server cleanly: requests already running finish, then it exits. */
class ShutdownTest {

    @Test
    void sigtermLetsARequestInFlightFinish() throws Exception {
        // One request thread: the smallest pool must start too (Jetty leases its acceptor and
        // selector threads from the same pool).
        try (DemoServerProcess server = DemoServerProcess.fromClasses("v1", DemoServerProcess.smallStore("--threads", "1"));
             Socket socket = server.connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("PUT /kv/in-flight HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Jetty sends 100 Continue when the handler starts reading the body, so from here on
            // the request is certainly inside the handler, not queued.
            String interim = readUntilBlankLine(in);
            assertTrue(interim.startsWith("HTTP/1.1 100 "), interim);

            server.sigterm();
            Thread.sleep(300); // let the shutdown begin while the request waits for its body
            assertTrue(server.isAlive(), "the server must wait for the running request");
            out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            String response = readUntilBlankLine(in);
            assertTrue(response.startsWith("HTTP/1.1 201 "), response);
            server.stop();
            assertFalse(server.isAlive());
        }
    }

    private static String readUntilBlankLine(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
