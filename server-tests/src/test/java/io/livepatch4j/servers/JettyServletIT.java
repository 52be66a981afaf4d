package io.livepatch4j.servers;

import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Scenario;
import io.livepatch4j.servers.harness.Server;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jetty 12's servlet layer (ee10). Not the "timeout" variant: Jetty 12.1.14 itself now and then
 * never answers a request whose 5 ms async timeout a listener completes (1 in 900 with no agent
 * loaded, curl with a 3 s limit), and such a request rightly holds a transition back for good.
 */
class JettyServletIT {

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(120)
    void noServletRequestRunsTwoGenerations(Mode mode) throws Exception {
        Scenario.run(Server.onTestClassPath("jetty12-ee10", "io.livepatch4j.servers.child.JettyServletServer",
            "Jetty request", "servlet request", "executor task").only(Server.CORE_VARIANTS), mode);
    }
}
