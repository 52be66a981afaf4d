package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.app.Pair;
import io.livepatch4j.servers.handler.Work;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Review 2: Undertow core. POST /case?c=readlistener&id=N: Pair.first() on the I/O thread, then the
 * body is read with the Receiver (receiveFullString, Undertow's usual way to read a body); the
 * callback, called when the last part arrives, runs Pair.second() and answers "first+second".
 */
public final class ReviewUndertowCore {

    public static void main(String[] args) throws Exception {
        Undertow server = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(ReviewUndertowCore::handle)
            .build();
        server.start();
        System.out.println("READY port=" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort()
            + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
    }

    private static void handle(HttpServerExchange exchange) throws Exception {
        String id = exchange.getQueryParameters().containsKey("id") ? exchange.getQueryParameters().get("id").getFirst() : null;
        switch (exchange.getRequestPath()) {
            case "/reached" -> {
                exchange.getResponseSender().send(String.valueOf(ReviewServlet.latch(ReviewServlet.REACHED, id).getCount() == 0));
                return;
            }
            case "/release" -> {
                ReviewServlet.latch(ReviewServlet.GATES, id).countDown();
                exchange.getResponseSender().send("released");
                return;
            }
            case "/result" -> {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(ReviewUndertowCore::handle);
                    return;
                }
                ReviewServlet.latch(ReviewServlet.DONE, id).await(10, TimeUnit.SECONDS);
                exchange.getResponseSender().send(String.valueOf(ReviewServlet.RESULTS.get(id)));
                return;
            }
            default -> { }
        }
        String first = Pair.first();
        if ("iothread".equals(exchange.getQueryParameters().get("c").getFirst())) {
            // The exchange goes async; a task on its I/O thread (XnioIoThread.executeAfter, which Undertow
            // itself uses for its timeouts) looks every 20 ms whether the test opened the gate, and then
            // finishes the exchange.
            exchange.dispatch(io.undertow.util.SameThreadExecutor.INSTANCE, () ->
                exchange.getIoThread().executeAfter(new Runnable() {
                    @Override
                    public void run() {
                        if (ReviewServlet.latch(ReviewServlet.GATES, id).getCount() > 0) {
                            exchange.getIoThread().executeAfter(this, 20, TimeUnit.MILLISECONDS);
                            return;
                        }
                        ReviewServlet.RESULTS.put(id, first + "+" + Pair.second());
                        System.out.println("[review2] " + id + " second half on " + Thread.currentThread().getName()
                            + " in unit: " + Work.unitKind() + " -> " + ReviewServlet.RESULTS.get(id));
                        ReviewServlet.latch(ReviewServlet.DONE, id).countDown();
                        exchange.getResponseSender().send(ReviewServlet.RESULTS.get(id));
                    }
                }, 20, TimeUnit.MILLISECONDS));
            ReviewServlet.latch(ReviewServlet.REACHED, id).countDown();
            return;
        }
        if ("writelistener".equals(exchange.getQueryParameters().get("c").getFirst())) {
            // 64 MB sent with the async Sender; its IoCallback runs once a slow client has read it all.
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_LENGTH, Long.toString(64L << 20));
            exchange.getResponseSender().send(java.nio.ByteBuffer.allocate(64 << 20), new io.undertow.io.IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, io.undertow.io.Sender sender) {
                    ReviewServlet.RESULTS.put(id, first + "+" + Pair.second());
                    System.out.println("[review2] " + id + " second half on " + Thread.currentThread().getName()
                        + " in unit: " + Work.unitKind() + " -> " + ReviewServlet.RESULTS.get(id));
                    ReviewServlet.latch(ReviewServlet.DONE, id).countDown();
                    ex.endExchange();
                }

                @Override
                public void onException(HttpServerExchange ex, io.undertow.io.Sender sender, java.io.IOException e) {
                    ReviewServlet.RESULTS.put(id, "error " + e);
                    ReviewServlet.latch(ReviewServlet.DONE, id).countDown();
                    ex.endExchange();
                }
            });
            ReviewServlet.latch(ReviewServlet.REACHED, id).countDown();
            return;
        }
        exchange.getRequestReceiver().receiveFullString((ex, body) -> {
            ReviewServlet.RESULTS.put(id, first + "+" + Pair.second());
            System.out.println("[review2] " + id + " second half on " + Thread.currentThread().getName()
                + " in unit: " + Work.unitKind() + " -> " + ReviewServlet.RESULTS.get(id));
            ReviewServlet.latch(ReviewServlet.DONE, id).countDown();
            ex.getResponseSender().send(ReviewServlet.RESULTS.get(id));
        });
        ReviewServlet.latch(ReviewServlet.REACHED, id).countDown();
    }
}
