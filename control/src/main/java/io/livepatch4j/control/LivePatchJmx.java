package io.livepatch4j.control;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

/**
 * The agent as code in the same JVM reaches it: its MXBean ({@value #OBJECT_NAME}) on the platform
 * MBean server. The agent's own classes are loaded by its isolating class loader, out of the
 * application's sight, so this is how an application, a benchmark or a test child applies a patch
 * in-process and reads the status (as the JSON the MXBean gives). Needs java.management only.
 */
public final class LivePatchJmx {

    public static final String OBJECT_NAME = "io.livepatch4j:type=LivePatch";

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName NAME = name();

    private LivePatchJmx() {}

    /** Waits until the agent has registered its MXBean; false if it has not within {@code timeout}. */
    public static boolean awaitAgent(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!SERVER.isRegistered(NAME)) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Applies the patch with the local strategy; a refusal is an IllegalArgumentException with the agent's reason. */
    public static String apply(Path patch) throws JMException {
        return apply(patch, "local");
    }

    /** Applies the patch with {@code strategy} (local, global, redefine: docs/agent.md), as {@link #apply(Path)}. */
    public static String apply(Path patch, String strategy) throws JMException {
        try {
            return (String) SERVER.invoke(NAME, "apply", new Object[] {patch.toString(), strategy},
                new String[] {String.class.getName(), String.class.getName()});
        } catch (RuntimeMBeanException e) {
            throw e.getTargetException();
        }
    }

    /** Rolls back to generation {@code to}'s code with {@code strategy}; a refusal as for {@link #apply}. */
    public static String rollback(long to, String strategy) throws JMException {
        try {
            return (String) SERVER.invoke(NAME, "rollback", new Object[] {to, strategy},
                new String[] {long.class.getName(), String.class.getName()});
        } catch (RuntimeMBeanException e) {
            throw e.getTargetException();
        }
    }

    /** Waits for the running transition, if any, to end; false if it still runs after {@code timeout}. */
    public static boolean awaitTransition(Duration timeout) throws JMException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (transitionRunning()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public static boolean transitionRunning() throws JMException {
        return (Boolean) SERVER.getAttribute(NAME, "TransitionRunning");
    }

    public static long currentGeneration() throws JMException {
        return (Long) SERVER.getAttribute(NAME, "CurrentGeneration");
    }

    public static String mode() throws JMException {
        return (String) SERVER.getAttribute(NAME, "Mode");
    }

    /** The unit kind status reports for the calling thread: "none" outside a unit, "no agent" without one. */
    public static String unitKind() {
        try {
            if (!SERVER.isRegistered(NAME)) {
                return "no agent";
            }
            Matcher m = Pattern.compile("\\{[^{}]*\"id\": ?" + Thread.currentThread().getId()
                + ",[^{}]*\"unitKind\": ?\"([^\"]*)\"").matcher(statusJson());
            return m.find() ? m.group(1) : "none";
        } catch (JMException e) {
            return e.toString();
        }
    }

    /** The names of the classes the live generations patch. */
    public static List<String> patchedClasses() throws JMException {
        String json = statusJson();
        int from = json.indexOf("\"classes\"");
        int to = json.indexOf(']', from);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"name\": ?\"([^\"]*)\"").matcher(json.substring(from, to));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The status, as the JSON {@code lp4j status --json} prints. */
    public static String statusJson() throws JMException {
        return (String) SERVER.getAttribute(NAME, "StatusJson");
    }

    private static ObjectName name() {
        try {
            return new ObjectName(OBJECT_NAME);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }
}
