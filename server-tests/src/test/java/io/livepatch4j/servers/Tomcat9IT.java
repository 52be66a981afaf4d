package io.livepatch4j.servers;

import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Scenario;
import io.livepatch4j.servers.harness.Server;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Embedded Tomcat 9: the javax.servlet API, in a JVM with Tomcat 9's own class path. */
class Tomcat9IT {

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(120)
    void noRequestRunsTwoGenerations(Mode mode) throws Exception {
        Scenario.run(Server.inFolder("tomcat9", "io.livepatch4j.servers.child.Tomcat9Server", "lp4j.tomcat9.dir",
            "executor task", "servlet request"), mode);
    }
}
