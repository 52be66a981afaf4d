package io.livepatch4j.servers;

import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Scenario;
import io.livepatch4j.servers.harness.Server;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Jetty 12's servlet layer (ee10). */
class JettyServletIT {

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(120)
    void noServletRequestRunsTwoGenerations(Mode mode) throws Exception {
        Scenario.run(Server.onTestClassPath("jetty12-ee10", "io.livepatch4j.servers.child.JettyServletServer",
            "Jetty request", "servlet request", "executor task"), mode);
    }
}
