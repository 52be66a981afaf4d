package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.StragglingWorker;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenMBeanAttributeInfo;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMX MBean: what jconsole, JMC and scripts see of a patch (the JFR events: FlightRecordingIT). */
@ExtendWith(BackToLoadedCode.class)
class ControlSurfacesIT {

    @Test
    void mbeanShowsTheGenerationsAndAppliesAndRollsBack() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.livepatch4j:type=LivePatch");
        assertEquals("prepared", server.getAttribute(name, "Mode"));
        long before = (Long) server.getAttribute(name, "CurrentGeneration");
        Path patch = Files.createTempDirectory("lp4j-jmx").resolve("greeter.lp4j");
        PatchFormat.write(TestPatches.greeterV2(), patch);

        String result = (String) server.invoke(name, "apply", new Object[] {patch.toString(), "local"},
            new String[] {String.class.getName(), String.class.getName()});
        assertTrue(result.contains("\"generation\": " + (before + 1)), result);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals(before + 1, server.getAttribute(name, "CurrentGeneration"));
        assertTrue(((String) server.getAttribute(name, "StatusJson")).contains("\"dispatch\": \"direct\""));

        // The same patch again changes nothing and says so, as a result (as lp4j exits 0), not a refusal.
        String again = (String) server.invoke(name, "apply", new Object[] {patch.toString(), "local"},
            new String[] {String.class.getName(), String.class.getName()});
        assertTrue(again.contains("\"unchanged\":true") && again.contains("patch greeter-v2 is already applied"), again);
        assertEquals(before + 1, server.getAttribute(name, "CurrentGeneration"));

        server.invoke(name, "rollback", new Object[] {before, "local"}, new String[] {long.class.getName(), String.class.getName()});
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("hello j from v1", new Greeter("j").greet());
    }

    @Test
    void mbeanNamesAndDescribesItsOperationsAndGivesStatusAsOpenData() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.livepatch4j:type=LivePatch");
        MBeanInfo info = server.getMBeanInfo(name);
        assertEquals("true", String.valueOf(info.getDescriptor().getFieldValue("mxbean")));
        assertDescribed("the MBean", info.getDescription());
        Map<String, MBeanOperationInfo> ops = Arrays.stream(info.getOperations())
            .collect(Collectors.toMap(MBeanOperationInfo::getName, o -> o));
        assertEquals(List.of("path", "strategy"), parameterNames(ops.get("apply")));
        assertEquals(List.of("toGeneration", "strategy"), parameterNames(ops.get("rollback")));
        for (MBeanOperationInfo op : ops.values()) {
            assertDescribed(op.getName(), op.getDescription());
            assertEquals(MBeanOperationInfo.ACTION, op.getImpact(), op.getName());
            for (MBeanParameterInfo p : op.getSignature()) {
                assertDescribed(op.getName() + "(" + p.getName() + ")", p.getDescription());
            }
        }
        Map<String, MBeanAttributeInfo> attributes = Arrays.stream(info.getAttributes())
            .collect(Collectors.toMap(MBeanAttributeInfo::getName, a -> a));
        assertTrue(attributes.keySet().containsAll(Set.of("CurrentGeneration", "Mode", "TransitionRunning",
            "StatusJson", "Status")), attributes.keySet().toString());
        attributes.values().forEach(a -> assertDescribed(a.getName(), a.getDescription()));
        assertTrue(attributes.get("Status") instanceof OpenMBeanAttributeInfo open
            && open.getOpenType() instanceof CompositeType, "Status is declared as open data: " + attributes.get("Status"));

        CompositeData idle = (CompositeData) server.getAttribute(name, "Status");
        assertEquals(LivePatch.currentGeneration(), idle.get("currentGeneration"), "Status reads with no transition running");

        // A thread held in a unit of G0 while the patch arrives: status names it, as open data.
        long before = LivePatch.currentGeneration();
        try (StragglingWorker slow = new StragglingWorker("jmx-slow-worker")) {
            LivePatch.apply(TestPatches.greeterV2(), io.livepatch4j.agent.tooling.Strategy.LOCAL);
            CompositeData status = (CompositeData) server.getAttribute(name, "Status");
            assertTrue(status.getCompositeType().keySet().containsAll(Set.of("currentGeneration", "mode", "generations",
                "transition", "classes", "threadsInUnits", "trust")), status.getCompositeType().keySet().toString());
            assertEquals(before + 1, status.get("currentGeneration"));
            CompositeData transition = (CompositeData) status.get("transition");
            assertEquals("running", transition.get("state"));
            CompositeData[] remaining = (CompositeData[]) transition.get("remaining");
            assertEquals(1, remaining.length);
            assertEquals("jmx-slow-worker", remaining[0].get("name"));
            assertEquals("executor task", remaining[0].get("unitKind"));
            assertEquals(before, remaining[0].get("generation"));
            CompositeData[] generations = (CompositeData[]) status.get("generations");
            assertEquals("transition", generations[generations.length - 1].get("state"));
            assertTrue(server.getAttributes(name, new String[] {"Status", "CurrentGeneration"}).size() == 2,
                "jconsole reads attributes in batches; Status is among them");
            slow.release();
        }
    }

    private static List<String> parameterNames(MBeanOperationInfo op) {
        return Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getName).toList();
    }

    /** Present, and not the placeholder the JDK gives what nobody described. */
    private static void assertDescribed(String what, String description) {
        assertTrue(description != null && description.length() > 20 && !description.contains("exposed for management"),
            what + " is described: " + description);
    }
}
