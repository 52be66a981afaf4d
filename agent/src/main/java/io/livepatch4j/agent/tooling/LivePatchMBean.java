package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.StandardMBean;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;

/**
 * The MXBean: a thin layer over {@link LivePatch} that names and describes every attribute,
 * operation and parameter (jconsole and JMC show them; a plain MXBean would say p0, p1), and adds the
 * attribute {@code Status}, the status as open data ({@link StatusOpenData}), which an MXBean
 * interface cannot declare: the MXBean mapping has no rule for records.
 */
final class LivePatchMBean extends StandardMBean implements LivePatchMXBean {

    static final String NAME = "io.livepatch4j:type=LivePatch";

    private static final String STRATEGY = "local (default: each thread moves at its own quiescence point), "
        + "global (all threads at once) or redefine (HotSwap: method bodies only, no version consistency)";

    private static final Map<String, String> ATTRIBUTES = Map.of(
        "CurrentGeneration", "The generation that units of work starting now run (0: the code as loaded)",
        "Mode", "prepared (the agent started with the JVM) or attach (loaded into a running JVM)",
        "TransitionRunning", "Whether a transition is under way (threads still moving to the newest generation, "
            + "or a refused patch draining): applies and rollbacks wait for it to end",
        "StatusJson", "The full status as JSON, as 'lp4j status --json' prints it",
        "Status", "The full status: generations, the transition in progress with the threads it waits for "
            + "(stragglers with their stacks), patched classes, threads in units of work");

    private record Operation(String description, List<String> names, List<String> descriptions) {
    }

    private static final Map<String, Operation> OPERATIONS = Map.of(
        "apply", new Operation("Applies a patch file (built by 'lp4j build') as a new generation; returns the "
            + "result as JSON, or fails with the reason it was refused (a refused patch changes nothing)",
            List.of("path", "strategy"),
            List.of("The patch file's path, as this JVM sees it", STRATEGY)),
        "rollback", new Operation("Makes a new generation whose code is that of an earlier one (0: the code as "
            + "loaded); while a transition runs, reverses it. Returns the result as JSON, or fails with the reason",
            List.of("toGeneration", "strategy"),
            List.of("The generation whose code to run again, e.g. 0 for the code as loaded", STRATEGY)));

    private volatile MBeanInfo info;

    LivePatchMBean() {
        super(LivePatchMXBean.class, true);
    }

    static void register() throws JMException {
        ObjectName name = new ObjectName(NAME);
        if (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new LivePatchMBean(), name);
        }
    }

    // ---- the interface ----

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
        return t != null && (t.state() == Transition.State.RUNNING || t.state() == Transition.State.DRAINING);
    }

    @Override
    public String getStatusJson() {
        return StatusJson.of(LivePatch.status());
    }

    @Override
    public String apply(String path, String strategy) {
        try {
            return StatusJson.of(LivePatch.apply(Path.of(path), Strategy.parse(strategy)));
        } catch (Unchanged e) {
            return e.json();
        } catch (PatchException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public String rollback(long toGeneration, String strategy) {
        try {
            return StatusJson.of(LivePatch.rollback(toGeneration, Strategy.parse(strategy)));
        } catch (Unchanged e) {
            return e.json();
        } catch (PatchException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    // ---- the Status attribute ----

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanInfo i = info;
        if (i == null) {
            MBeanInfo std = super.getMBeanInfo();
            List<MBeanAttributeInfo> attributes = new ArrayList<>(Arrays.asList(std.getAttributes()));
            attributes.add(new OpenMBeanAttributeInfoSupport("Status", ATTRIBUTES.get("Status"), StatusOpenData.TYPE,
                true, false, false));
            i = new MBeanInfo(std.getClassName(), std.getDescription(), attributes.toArray(new MBeanAttributeInfo[0]),
                std.getConstructors(), std.getOperations(), std.getNotifications(), std.getDescriptor());
            info = i;
        }
        return i;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException, MBeanException, ReflectionException {
        return attribute.equals("Status") ? StatusOpenData.of(LivePatch.status()) : super.getAttribute(attribute);
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            try {
                list.add(new Attribute(a, getAttribute(a)));
            } catch (JMException | RuntimeException e) {
                // As the JMX contract says: an attribute that cannot be read is left out of the list.
            }
        }
        return list;
    }

    // ---- names and descriptions ----

    @Override
    protected String getDescription(MBeanInfo info) {
        return "livepatch4j: live patching with per-thread quiescence. Apply a patch, roll back, watch the "
            + "transition (docs/agent.md, JMX)";
    }

    @Override
    protected String getDescription(MBeanAttributeInfo attribute) {
        return ATTRIBUTES.getOrDefault(attribute.getName(), super.getDescription(attribute));
    }

    @Override
    protected String getDescription(MBeanOperationInfo op) {
        Operation o = OPERATIONS.get(op.getName());
        return o == null ? super.getDescription(op) : o.description();
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Operation o = OPERATIONS.get(op.getName());
        return o == null ? super.getParameterName(op, param, sequence) : o.names().get(sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Operation o = OPERATIONS.get(op.getName());
        return o == null ? super.getDescription(op, param, sequence) : o.descriptions().get(sequence);
    }

    @Override
    protected int getImpact(MBeanOperationInfo op) {
        return OPERATIONS.containsKey(op.getName()) ? MBeanOperationInfo.ACTION : super.getImpact(op);
    }
}
