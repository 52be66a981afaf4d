package io.livepatch4j.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the server answers to one request, decided before anything is written: the renderer adds
 * the version headers and then writes it in one go.
 *
 * @param allow the Allow header of a 405, else null
 */
record Reply(int status, String contentType, byte[] body, String allow) {

    private static final String TEXT = "text/plain;charset=utf-8";

    /** A short plain-text reply; errors use it too, so a person reading curl output sees why. */
    static Reply text(int status, String text) {
        return new Reply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), null);
    }

    static Reply value(byte[] value) {
        return new Reply(200, "application/octet-stream", value, null);
    }

    static Reply empty(int status) {
        return new Reply(status, null, new byte[0], null);
    }

    static Reply methodNotAllowed(String method, String path, String allow) {
        return new Reply(405, TEXT,
                (method + " is not allowed on " + path + "; use " + allow + "\n").getBytes(StandardCharsets.UTF_8),
                allow);
    }

    void writeTo(Response response, Callback callback) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        if (allow != null) {
            response.getHeaders().put(HttpHeader.ALLOW, allow);
        }
        response.write(true, ByteBuffer.wrap(body).asReadOnlyBuffer(), callback);
    }
}
