package io.livepatch4j.demo;

import io.livepatch4j.demo.client.ResponseCheck;
import io.livepatch4j.quiescence.Quiescence;
import java.io.IOException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves every request: the order of its steps is what makes version consistency observable.
 * First the generation the request starts in, then the access check (stamps its version), then
 * the real work (a store operation or a scan), and last the renderer (stamps its version).
 * The whole request runs inside {@link #handle}, which the agent treats as one unit of work.
 */
final class DemoHandler extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(DemoHandler.class.getName());

    private final KeyValueStore store;
    private final int maxValueBytes;
    private final AccessPolicy accessPolicy;

    DemoHandler(KeyValueStore store, int maxValueBytes, AccessPolicy accessPolicy) {
        this.store = store;
        this.maxValueBytes = maxValueBytes;
        this.accessPolicy = accessPolicy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long generation = Quiescence.generation();
        response.getHeaders().put(ResponseCheck.CODE_GENERATION, generation);
        ServedBy servedBy = new ServedBy();
        Operation operation = parse(request);
        Reply reply;
        if (accessPolicy.admits(operation, request.getHeaders().get(ResponseCheck.API_KEY), servedBy)) {
            reply = perform(operation, request, generation);
        } else {
            reply = Reply.text(403, "keys under " + KeyValueStore.PRIVATE_NAMESPACE
                    + " need the server's API key in the " + ResponseCheck.API_KEY + " header\n");
        }
        ResponseRenderer.render(reply, operation, servedBy, response, callback);
        return true;
    }

    private static Operation parse(Request request) {
        Fields query;
        try {
            query = Request.extractQueryParameters(request);
        } catch (RuntimeException malformed) {
            return Operation.rejected(Reply.text(400, "malformed query string: " + malformed.getMessage() + "\n"));
        }
        return Operation.parse(request.getMethod(), request.getHttpURI().getDecodedPath(), query::getValue);
    }

    private Reply perform(Operation operation, Request request, long generation) {
        try {
            return switch (operation.kind()) {
                case GET -> {
                    byte[] value = store.get(operation.key());
                    yield value == null ? notFound(operation.key()) : Reply.value(value);
                }
                case PUT -> put(operation.key(), request);
                case DELETE -> store.remove(operation.key()) ? Reply.empty(204) : notFound(operation.key());
                case REPORT -> Reply.text(200, Report.run(store, operation.prefix(), operation.passes()));
                case CHECKSUM -> Reply.text(200, Checksum.of(store));
                case HEALTH -> Reply.text(200, "ok version=" + CodeVersion.name() + " generation=" + generation
                        + " keys=" + store.size() + "\n");
                case REJECTED -> operation.rejection();
            };
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + request.getMethod() + " " + request.getHttpURI()
                    + " failed; the server goes on serving", e);
            return Reply.text(500, "internal error (" + e.getClass().getSimpleName() + "); see the server's log\n");
        }
    }

    /** How much of a refused body is still read, so the 413 reaches the client; beyond it the connection closes. */
    private static final long DRAIN_LIMIT = 1 << 20;

    private Reply put(String key, Request request) {
        long declared = request.getLength();
        if (declared > maxValueBytes) {
            return tooLarge(declared + " bytes");
        }
        byte[] value;
        try {
            java.io.InputStream in = Content.Source.asInputStream(request);
            value = in.readNBytes(maxValueBytes + 1);
            if (value.length > maxValueBytes) {
                // Read what the client still sends (up to a bound) before answering: a 413 sent while
                // the client is still writing its chunked body can be lost when the connection closes
                // under it, and the client sees no answer at all.
                byte[] sink = new byte[8192];
                for (long drained = 0; drained < DRAIN_LIMIT; ) {
                    int n = in.read(sink);
                    if (n < 0) {
                        break;
                    }
                    drained += n;
                }
                return tooLarge("more than " + maxValueBytes + " bytes");
            }
        } catch (IOException e) {
            return Reply.text(400, "could not read the request body: " + e.getMessage() + "\n");
        }
        return store.put(key, value)
                ? Reply.text(201, "stored " + value.length + " bytes under a new key\n")
                : Reply.text(200, "replaced the value with " + value.length + " bytes\n");
    }

    private static Reply notFound(String key) {
        return Reply.text(404, "no value for key " + key + "\n");
    }

    private Reply tooLarge(String size) {
        return Reply.text(413, "value is " + size + "; values are at most " + maxValueBytes
                + " bytes (--max-value-bytes)\n");
    }
}
