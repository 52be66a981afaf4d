package io.livepatch4j.it.integrations;

import com.sun.tools.attach.VirtualMachine;
import io.livepatch4j.it.support.ChildClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attach mode: the agent attached to a JVM whose Netty server already runs (its pipeline, context and
 * encoder classes loaded) retransforms them, so the next request's handler runs in a Netty request unit.
 */
class NettyAttachIT {

    @Test
    @Timeout(120)
    void agentAttachedToARunningNettyServerMakesItsRequestsUnits() throws Exception {
        String testClasses = ChildClassPath.testClassesAndControl();
        // The test classes and Netty only: the agent must come from the Attach API.
        String netty = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> e.contains("/io/netty/")).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", testClasses + File.pathSeparator + netty));
        if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        cmd.add("io.livepatch4j.it.child.NettyAttachTarget");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("READY") && ready.contains("before=no agent"), "child: " + ready);
            int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
            try {
                vm.loadAgent(System.getProperty("lp4j.agent.jar"), "");
            } finally {
                vm.detach();
            }
            String kind = "";
            for (int i = 0; i < 100 && !kind.equals("Netty HTTP request"); i++) {
                try (InputStream in = URI.create("http://127.0.0.1:" + port + "/").toURL().openStream()) {
                    kind = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Thread.sleep(50);
            }
            assertEquals("Netty HTTP request", kind, "a request on the server started before the agent is a unit");
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
