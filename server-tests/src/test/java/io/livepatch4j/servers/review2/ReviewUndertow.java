package io.livepatch4j.servers.review2;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;

import java.net.InetSocketAddress;

/** Review 2: Undertow's servlet layer serving {@link ReviewServlet}. */
public final class ReviewUndertow {

    public static void main(String[] args) throws Exception {
        serve(ReviewServlet.class);
    }

    /** Serves {@code servlet} on every path, async supported, and prints the READY line. */
    static void serve(Class<? extends jakarta.servlet.Servlet> servlet) throws Exception {
        DeploymentInfo app = Servlets.deployment()
            .setClassLoader(ReviewUndertow.class.getClassLoader())
            .setContextPath("/")
            .setDeploymentName("review")
            .addServlet(Servlets.servlet("review", servlet).addMapping("/*").setAsyncSupported(true));
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(app);
        manager.deploy();
        Undertow server = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(Handlers.path().addPrefixPath("/", manager.start()))
            .build();
        server.start();
        System.out.println("READY port=" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort()
            + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
    }
}
