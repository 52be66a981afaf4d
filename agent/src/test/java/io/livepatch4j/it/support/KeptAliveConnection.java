package io.livepatch4j.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection to a test's server on the loopback address, kept alive: every GET goes over
 * the same socket, as a browser's or a load balancer's would, so the test knows which requests share
 * a connection (HttpURLConnection's pool does not say). Where the server ends the connection after a
 * response ({@code Connection: close}, as Tomcat does after 100 requests), the next GET opens a new
 * one, as a browser would. Responses must carry a Content-Length. Not thread-safe: one client thread
 * per connection.
 */
public final class KeptAliveConnection implements AutoCloseable {

    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    /** How many connections this one has been (more than one where the server closed them). */
    private int opened;

    public KeptAliveConnection(int port) throws IOException {
        this.port = port;
        open();
    }

    private void open() throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        opened++;
    }

    /** How many TCP connections its requests went over so far. */
    public int opened() {
        return opened;
    }

    /**
     * The body of {@code path}, requested with the extra {@code headers} (each "Name: value"); throws
     * if the server answered anything but 200 or closed the connection.
     */
    public String get(String path, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        long length = -1;
        boolean closes = false;
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = colon > 0 ? header.substring(0, colon).trim() : "";
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(header.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("connection") && header.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                closes = true;
            }
        }
        if (length < 0) {
            throw new IOException("the response to " + path + " has no Content-Length (" + status + ")");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new IOException("the connection closed inside the response to " + path);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (closes) {
            socket.close();
            open();
        }
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException(path + " answered " + status + ": " + text);
        }
        return text;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
