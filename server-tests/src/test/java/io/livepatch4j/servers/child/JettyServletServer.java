package io.livepatch4j.servers.child;

import io.livepatch4j.servers.handler.JakartaPairServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12's servlet layer (ee10, jakarta.servlet), serving {@link JakartaPairServlet}. */
public final class JettyServletServer {

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder pair = new ServletHolder(new JakartaPairServlet());
        pair.setAsyncSupported(true);
        context.addServlet(pair, "/*");
        server.setHandler(context);
        server.start();
        Ready.announce(connector.getLocalPort());
        server.join();
    }
}
