package io.livepatch4j.servers.child;

import io.livepatch4j.servers.handler.JakartaPairServlet;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;

import java.net.InetSocketAddress;

/** Undertow's servlet layer (jakarta.servlet), serving {@link JakartaPairServlet}. */
public final class UndertowServletServer {

    public static void main(String[] args) throws Exception {
        DeploymentInfo app = Servlets.deployment()
            .setClassLoader(UndertowServletServer.class.getClassLoader())
            .setContextPath("/")
            .setDeploymentName("pair")
            .addServlet(Servlets.servlet("pair", JakartaPairServlet.class).addMapping("/*").setAsyncSupported(true));
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(app);
        manager.deploy();
        Undertow server = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(Handlers.path().addPrefixPath("/", manager.start()))
            .build();
        server.start();
        Ready.announce(((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }
}
