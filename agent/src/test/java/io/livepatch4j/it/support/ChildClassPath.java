package io.livepatch4j.it.support;

import io.livepatch4j.control.LivePatchJmx;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The class path of a child JVM that gets the agent from -javaagent or the Attach API, never from
 * its class path: the test classes, and the control module, whose {@link LivePatchJmx} is how the
 * child reaches the agent in-process.
 */
public final class ChildClassPath {

    private ChildClassPath() {}

    /** The test classes alone. */
    public static String testClasses() {
        return location(TestPatches.class);
    }

    public static String testClassesAndControl() {
        return location(TestPatches.class) + File.pathSeparator + location(LivePatchJmx.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
