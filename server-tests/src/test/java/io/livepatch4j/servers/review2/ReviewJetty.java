package io.livepatch4j.servers.review2;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Review 2: Jetty 12 ee10 serving {@link ReviewServlet}. */
public final class ReviewJetty {

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder h = new ServletHolder(new ReviewServlet());
        h.setAsyncSupported(true);
        context.addServlet(h, "/*");
        server.setHandler(context);
        server.start();
        System.out.println("READY port=" + connector.getLocalPort() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        server.join();
    }
}
