package io.livepatch4j.servers.child;

import io.livepatch4j.servers.handler.Work;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.SameThreadExecutor;

import java.net.InetSocketAddress;

/**
 * Undertow's core API, no servlets: the handler runs on an IO thread. Sync: it answers there. Async:
 * it dispatches the exchange (so it is not ended when the handler returns) and a thread of
 * {@link Work#ASYNC} finishes and sends the answer. Dispatch: exchange.dispatch(handler) finishes on
 * an XNIO worker thread.
 */
public final class UndertowServer {

    private static final AttachmentKey<String> FIRST = AttachmentKey.create(String.class);

    public static void main(String[] args) {
        HttpHandler finish = exchange -> send(exchange, Work.finish(exchange.getRequestPath(), exchange.getAttachment(FIRST)));
        Undertow server = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(exchange -> {
                String path = exchange.getRequestPath();
                String variant = Work.variant(exchange.getQueryString());
                String first = Work.begin(path);
                if (variant.equals("sync")) {
                    send(exchange, Work.finish(path, first));
                } else if (variant.equals("async")) {
                    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> Work.ASYNC.execute(() -> send(exchange, Work.finish(path, first))));
                } else {
                    exchange.putAttachment(FIRST, first);
                    exchange.dispatch(finish);
                }
            })
            .build();
        server.start();
        Ready.announce(((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }

    private static void send(HttpServerExchange exchange, String body) {
        exchange.getResponseSender().send(body);
    }
}
