package io.livepatch4j.servers.child;

import io.livepatch4j.servers.handler.JakartaPairServlet;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;

/** Embedded Tomcat 11 (jakarta.servlet) on an ephemeral port, serving {@link JakartaPairServlet}. */
public final class TomcatServer {

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("lp4j-tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector(); // creates the default HTTP connector
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "pair", new JakartaPairServlet()).setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "pair");
        tomcat.start();
        Ready.announce(tomcat.getConnector().getLocalPort());
        tomcat.getServer().await();
    }
}
