package io.livepatch4j.servers.child;

import io.livepatch4j.servers.handler.JavaxPairServlet;

import java.lang.reflect.Method;
import java.nio.file.Files;

/**
 * Embedded Tomcat 9 (javax.servlet) serving {@link JavaxPairServlet}. Tomcat 9 shares its packages
 * with Tomcat 11, which this module compiles against, so its API is called by reflection here, and
 * its JVM runs with Tomcat 9's jars (target/tomcat9) instead of the test class path.
 */
public final class Tomcat9Server {

    public static void main(String[] args) throws Exception {
        Class<?> tomcatClass = Class.forName("org.apache.catalina.startup.Tomcat");
        Class<?> contextClass = Class.forName("org.apache.catalina.Context");
        Object tomcat = tomcatClass.getConstructor().newInstance();
        tomcatClass.getMethod("setBaseDir", String.class).invoke(tomcat, Files.createTempDirectory("lp4j-tomcat9").toString());
        tomcatClass.getMethod("setPort", int.class).invoke(tomcat, 0);
        Object connector = tomcatClass.getMethod("getConnector").invoke(tomcat);
        Object context = tomcatClass.getMethod("addContext", String.class, String.class).invoke(tomcat, "", null);
        Method addServlet = tomcatClass.getMethod("addServlet", contextClass, String.class, Class.forName("javax.servlet.Servlet"));
        Object wrapper = addServlet.invoke(null, context, "pair", new JavaxPairServlet());
        wrapper.getClass().getMethod("setAsyncSupported", boolean.class).invoke(wrapper, true);
        contextClass.getMethod("addServletMappingDecoded", String.class, String.class).invoke(context, "/*", "pair");
        tomcatClass.getMethod("start").invoke(tomcat);
        Ready.announce((int) connector.getClass().getMethod("getLocalPort").invoke(connector));
        Thread.currentThread().join(); // Tomcat's threads serve; main waits until the harness ends the JVM
    }
}
