package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A patch that adds a class in a package no class of the program has is defined in the program's
 * loader without opening any module to the application (issue 14, item 8): java.lang stays closed
 * to the class path's code, which is where the agent's own classes live too.
 */
@ExtendWith(BackToLoadedCode.class)
class NewPackageIT {

    @Test
    void aClassInANewPackageIsDefinedWithoutOpeningJavaLang() throws Exception {
        Module app = Greeter.class.getModule();
        assertFalse(Object.class.getModule().isOpen("java.lang", app), "java.lang is open before the test");
        Patch patch = TestPatches.build("new-package", Map.of(
            "io.livepatch4j.it.app.Greeter", """
                package io.livepatch4j.it.app;
                public class Greeter {
                    private final String name;
                    public Greeter(String name) { this.name = name; }
                    public String first() { return io.livepatch4j.it.addedpkg.Added.version(); }
                    public String second() { return "v2"; }
                    public String greet() { return "hello " + name + " from " + first(); }
                    public static volatile Runnable betweenCalls = Greeter::nothing;
                    public String pair() { String a = first(); betweenCalls.run(); String b = second(); return a + "+" + b; }
                    private static void nothing() { }
                    public static String staticVersion() { return "v2"; }
                }""",
            "io.livepatch4j.it.addedpkg.Added", """
                package io.livepatch4j.it.addedpkg;
                public final class Added {
                    public static String version() { return "v2"; }
                }"""));
        assertEquals(1, patch.newClasses().size(), patch.newClasses().toString());
        LivePatch.apply(patch, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("hello n from v2", new Greeter("n").greet());
        Class<?> added = Class.forName("io.livepatch4j.it.addedpkg.Added", false, Greeter.class.getClassLoader());
        assertEquals(Greeter.class.getClassLoader(), added.getClassLoader());
        assertFalse(Object.class.getModule().isOpen("java.lang", app), "the patch opened java.lang to the application");
        assertFalse(Object.class.getModule().isOpen("java.lang", added.getModule()), "java.lang is open to the new class");
        // Nor does listing virtual threads (JDK 21+) export the JDK's thread containers to it.
        assertFalse(Object.class.getModule().isExported("jdk.internal.vm", app), "jdk.internal.vm is exported to the application");
    }
}
