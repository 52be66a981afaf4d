package io.livepatch4j.servers.review2;

import java.lang.reflect.Method;
import java.nio.file.Files;

/** Review 2: embedded Tomcat 9 (javax.servlet) serving {@link JavaxReviewServlet}, as child/Tomcat9Server does (reflection). */
public final class ReviewTomcat9 {

    public static void main(String[] args) throws Exception {
        Class<?> tomcatClass = Class.forName("org.apache.catalina.startup.Tomcat");
        Class<?> contextClass = Class.forName("org.apache.catalina.Context");
        Object tomcat = tomcatClass.getConstructor().newInstance();
        tomcatClass.getMethod("setBaseDir", String.class).invoke(tomcat, Files.createTempDirectory("lp4j-review2-tomcat9").toString());
        tomcatClass.getMethod("setPort", int.class).invoke(tomcat, 0);
        Object connector = tomcatClass.getMethod("getConnector").invoke(tomcat);
        Object context = tomcatClass.getMethod("addContext", String.class, String.class).invoke(tomcat, "", null);
        Method addServlet = tomcatClass.getMethod("addServlet", contextClass, String.class, Class.forName("javax.servlet.Servlet"));
        Object wrapper = addServlet.invoke(null, context, "review", new JavaxReviewServlet());
        wrapper.getClass().getMethod("setAsyncSupported", boolean.class).invoke(wrapper, true);
        contextClass.getMethod("addServletMappingDecoded", String.class, String.class).invoke(context, "/*", "review");
        tomcatClass.getMethod("start").invoke(tomcat);
        System.out.println("READY port=" + connector.getClass().getMethod("getLocalPort").invoke(connector)
            + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
