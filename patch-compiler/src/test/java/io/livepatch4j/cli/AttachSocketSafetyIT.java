package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Review of issue 14 (finding F1): the Attach API's socket {@code /tmp/.java_pidN} of root's JVM N
 * can be taken first by another user; the JDK's attach skips its owner check for root, so root's lp4j
 * must check the socket's owner (and its peer) itself before it sends anything there.
 */
class AttachSocketSafetyIT {

    private static final String V1 = Fixture.SUBJECT_V1;
    private static final Fixture FIX = Fixture.subject("attachsafety", V1, V1.replace("\"v1\"", "\"v2\""), "v1", "v2");

    /** Speaks just enough of HotSpot's attach protocol to show what it was sent. */
    private static final String FAKE = """
        import os, socket, sys
        path, log = sys.argv[1], sys.argv[2]
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path); os.chmod(path, 0o600); s.listen(8)
        open(log, "a").write("LISTENING\\n")
        while True:
            c, _ = s.accept()
            c.settimeout(2)
            data = b""
            try:
                while data.count(b"\\0") < 5:
                    d = c.recv(4096)
                    if not d:
                        break
                    data += d
            except Exception:
                pass
            open(log, "a").write(repr(data) + "\\n")
            try:
                c.sendall(b"0\\n#fake\\njava.specification.version=17\\n")
            except Exception:
                pass
            c.close()
        """;

    @Test
    void rootsLp4jSendsNothingToAnAttachSocketAnotherUserPlanted() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 for the fake socket");
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "lp4j-attachsafety");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path fake = Files.writeString(shared.resolve("fake.py"), FAKE);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rw-r--r--"));
        Path log = shared.resolve("fake.log");
        Path v1 = Sources.compile("v1", FIX.v1Build());
        try (ChildJvm mine = ChildJvm.start(v1, "fixture.Main")) {
            Path attach = Path.of("/tmp/.java_pid" + mine.pid());
            Assumptions.assumeFalse(Files.exists(attach), "root's JVM already listens for attach");
            Process nobody = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--", "/usr/bin/python3", fake.toString(), attach.toString(), log.toString()).redirectErrorStream(true).start();
            try {
                for (int i = 0; i < 100 && !(Files.exists(log) && Files.readString(log).contains("LISTENING")); i++) {
                    Thread.sleep(100);
                }
                Cli.Result r = Cli.run("status", "--pid", String.valueOf(mine.pid()));
                String got = Files.readString(log);
                assertFalse(got.contains("properties") || got.contains("load"),
                    "root's lp4j sent attach commands to a socket nobody planted for root's JVM: " + got + "; lp4j: " + r);
                assertEquals(3, r.exit(), r.toString());
            } finally {
                nobody.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(attach);
                try (var files = Files.walk(shared)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }
}
