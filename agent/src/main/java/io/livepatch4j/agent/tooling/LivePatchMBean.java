package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/** The MXBean implementation; a thin layer over {@link LivePatch}. */
final class LivePatchMBean implements LivePatchMXBean {

    static final String NAME = "io.livepatch4j:type=LivePatch";

    static void register() throws JMException {
        ObjectName name = new ObjectName(NAME);
        if (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new LivePatchMBean(), name);
        }
    }

    @Override
    public long getCurrentGeneration() {
        return LivePatch.currentGeneration();
    }

    @Override
    public String getMode() {
        return LivePatch.patcher().mode();
    }

    @Override
    public boolean isTransitionRunning() {
        Transition t = LivePatch.patcher().transition();
        return t != null && t.state() == Transition.State.RUNNING;
    }

    @Override
    public String getStatusJson() {
        return StatusJson.of(LivePatch.status());
    }

    @Override
    public String apply(String path, String strategy) {
        try {
            return StatusJson.of(LivePatch.apply(Path.of(path), Strategy.parse(strategy)));
        } catch (PatchException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public String rollback(long to, String strategy) {
        try {
            return StatusJson.of(LivePatch.rollback(to, Strategy.parse(strategy)));
        } catch (PatchException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
