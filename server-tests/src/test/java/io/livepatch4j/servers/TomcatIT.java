package io.livepatch4j.servers;

import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Scenario;
import io.livepatch4j.servers.harness.Server;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Embedded Tomcat 11 (jakarta.servlet), its own thread pool, sync and async servlets. */
class TomcatIT {

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(120)
    void noRequestRunsTwoGenerations(Mode mode) throws Exception {
        Scenario.run(Server.onTestClassPath("tomcat11", "io.livepatch4j.servers.child.TomcatServer",
            "executor task", "servlet request"), mode);
    }
}
