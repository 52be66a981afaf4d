package io.livepatch4j.it.review30;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import java.lang.management.ManagementFactory;

/**
 * An application that installs its own MBeanServerBuilder (as JBoss/WildFly do with
 * javax.management.builder.initial) a few seconds into its start, then asks for the platform MBean
 * server. Prints which builder made it.
 */
public final class Review30JmxOffChild {

    static volatile boolean built;

    public static final class Builder extends MBeanServerBuilder {
        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            built = true;
            return super.newMBeanServer(defaultDomain, outer, delegate);
        }
    }

    private Review30JmxOffChild() {}

    public static void main(String[] args) throws Exception {
        Thread.sleep(Long.parseLong(args[0]));
        System.setProperty("javax.management.builder.initial", Builder.class.getName());
        ManagementFactory.getPlatformMBeanServer();
        System.out.println("builder=" + (built ? "application's" : "JDK's default"));
    }
}
