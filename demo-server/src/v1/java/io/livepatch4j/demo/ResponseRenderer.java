package io.livepatch4j.demo;

import io.livepatch4j.demo.client.ResponseCheck;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes every response, after the request's work is done, and stamps its code version last.
 *
 * <p>VERSIONED: src/v1 and src/v2 hold this class with the same shape; only {@link #render}
 * differs (its stamp, and v2 marks private values not cacheable). Keep unchanged lines in place.
 */
final class ResponseRenderer {

    private ResponseRenderer() {}

    /** Stamps {@code render=<version>}, sets the version headers and writes {@code reply}. */
    static void render(Reply reply, Operation operation, ServedBy servedBy, Response response, Callback callback) {
        servedBy.stamp("render=v1");
        response.getHeaders().put(ResponseCheck.SERVED_BY, servedBy.header());
        reply.writeTo(response, callback);
    }
}
