package io.livepatch4j.servers;

import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Scenario;
import io.livepatch4j.servers.harness.Server;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

/**
 * A thread-pool server written only for the test (child/PoolServer), which no integration knows: the
 * general rule keeps each request in one generation. Its units exist only while a transition runs,
 * so between transitions status reports its handler threads in none.
 */
class PoolServerIT {

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(120)
    void noRequestRunsTwoGenerations(Mode mode) throws Exception {
        Scenario.run(Server.onTestClassPath("pool", "io.livepatch4j.servers.child.PoolServer", "none")
            .only(List.of("sync")), mode);
    }
}
