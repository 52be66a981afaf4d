package io.livepatch4j.it.support;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A Jetty 12 core server for a test: one connector on the loopback address and a free port. */
public final class JettyCore {

    private JettyCore() {}

    /** Starts {@code server} serving {@code handler}; returns the port it listens on. */
    public static int start(Server server, Handler handler) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return connector.getLocalPort();
    }
}
