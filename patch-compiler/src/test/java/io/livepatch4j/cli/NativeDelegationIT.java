package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lp4j checkpoint | restore | spawn run the native companion with the same arguments. */
class NativeDelegationIT {

    @Test
    void spawnRunsLp4jNativeAndPassesItsExitCode() throws Exception {
        java.nio.file.Path pidfile = java.nio.file.Files.createTempFile("lp4j-spawn", ".pid");
        Cli.Result ok = Cli.run("spawn", "--pidfile", pidfile.toString(), "--", "/bin/true");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(java.nio.file.Files.readString(pidfile).trim().matches("\\d+"), "lp4j-native wrote the pid");
        Cli.Result bad = Cli.run("checkpoint", "--no-such-option");
        assertEquals(2, bad.exit(), "lp4j-native's usage error comes back as lp4j's exit code");
    }
}
