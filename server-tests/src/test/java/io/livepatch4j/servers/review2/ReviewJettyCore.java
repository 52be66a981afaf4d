package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.app.Pair;
import io.livepatch4j.servers.handler.Work;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Review 2: Jetty 12 core handlers (no servlet layer), the API Jetty 12 is built on.
 * <ul>
 *   <li>POST /case?c=readlistener: Pair.first(), then the body is read with Request.demand(Runnable)
 *   (Jetty's asynchronous read); the demand callback that sees the last chunk runs Pair.second().</li>
 *   <li>GET /case?c=writelistener: Pair.first(), then 64 MB written with Response.write(...,
 *   Callback) one buffer at a time (asynchronous write); the callback of the last write runs
 *   Pair.second() and succeeds the request's callback.</li>
 * </ul>
 */
public final class ReviewJettyCore {

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return ReviewJettyCore.handle(request, response, callback);
            }
        });
        server.start();
        System.out.println("READY port=" + connector.getLocalPort() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        server.join();
    }

    static boolean handle(Request request, Response response, Callback callback) throws Exception {
        Fields q = Request.extractQueryParameters(request);
        String id = q.getValue("id");
        switch (Request.getPathInContext(request)) {
            case "/reached" -> {
                Content.Sink.write(response, true, String.valueOf(ReviewServlet.latch(ReviewServlet.REACHED, id).getCount() == 0), callback);
                return true;
            }
            case "/result" -> {
                ReviewServlet.latch(ReviewServlet.DONE, id).await(10, TimeUnit.SECONDS);
                Content.Sink.write(response, true, String.valueOf(ReviewServlet.RESULTS.get(id)), callback);
                return true;
            }
            default -> { }
        }
        String first = Pair.first();
        if ("writelistener".equals(q.getValue("c"))) {
            new Writer(response, callback, id, first).next();
            return true;
        }
        Runnable reader = new Runnable() {
            @Override
            public void run() {
                for (;;) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        ReviewServlet.latch(ReviewServlet.REACHED, id).countDown();
                        request.demand(this);
                        return;
                    }
                    chunk.release();
                    if (chunk.isLast()) {
                        finish(id, first);
                        Content.Sink.write(response, true, ReviewServlet.RESULTS.get(id), callback);
                        return;
                    }
                }
            }
        };
        request.demand(reader);
        return true;
    }

    static void finish(String id, String first) {
        ReviewServlet.RESULTS.put(id, first + "+" + Pair.second());
        System.out.println("[review2] " + id + " second half on " + Thread.currentThread().getName()
            + " in unit: " + Work.unitKind() + " -> " + ReviewServlet.RESULTS.get(id));
        ReviewServlet.latch(ReviewServlet.DONE, id).countDown();
    }

    /** Writes 64 MB, one 256 KB buffer per write; the last write's callback finishes the request. */
    private static final class Writer implements Callback {
        private static final int CHUNKS = 256;
        private final Response response;
        private final Callback done;
        private final String id;
        private final String first;
        private int written;

        Writer(Response response, Callback done, String id, String first) {
            this.response = response;
            this.done = done;
            this.id = id;
            this.first = first;
            response.getHeaders().put("Content-Length", Long.toString(CHUNKS * 262144L));
        }

        void next() {
            if (written == CHUNKS) {
                finish(id, first);
                done.succeeded();
                return;
            }
            if (written++ == 0) {
                ReviewServlet.latch(ReviewServlet.REACHED, id).countDown();
            }
            response.write(written == CHUNKS, ByteBuffer.allocate(262144), this);
        }

        @Override
        public void succeeded() {
            next();
        }

        @Override
        public void failed(Throwable x) {
            ReviewServlet.RESULTS.put(id, "error " + x);
            ReviewServlet.latch(ReviewServlet.DONE, id).countDown();
            done.failed(x);
        }
    }
}
