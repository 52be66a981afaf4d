package io.livepatch4j.agent.tooling;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three forms of an option (agent argument, -Dlivepatch4j.NAME, LIVEPATCH4J_NAME) and their order. */
class AgentOptionsTest {

    @Test
    void theArgumentKeepsItsListSyntax() {
        AgentOptions o = AgentOptions.parse("packages=com.acme,com.foo,unitOfWork=com.acme.Worker#handle,stragglerMillis=5");
        assertEquals(List.of("com.acme", "com.foo"), o.packages());
        assertEquals(List.of("com.acme.Worker#handle"), o.unitsOfWork());
        assertEquals(5, o.stragglerMillis());
        assertFalse(o.debug());
    }

    @Test
    void systemPropertiesAndEnvironmentFillWhatTheArgumentLeavesOut() {
        Properties props = new Properties();
        props.setProperty("livepatch4j.stragglerMillis", "250");
        props.setProperty("livepatch4j.packages", "com.acme, com.foo");
        props.setProperty("livepatch4j.agent.version", "published by the agent: not an option");
        props.setProperty("livepatch4j.tooling", "the launcher's: not an option");
        props.setProperty("livepatch4j.build.skip", "the Maven plugin's parameter: not an option");
        Map<String, String> env = Map.of("LIVEPATCH4J_STRAGGLER_MILLIS", "999", "LIVEPATCH4J_DEBUG", "on",
            "LIVEPATCH4J_TRUSTED_KEYS", "/etc/keys", "LIVEPATCH4J_UNIT_OF_WORK", "a.B#c,d.E#f");
        AgentOptions o = AgentOptions.parse("globalTimeoutMillis=7", env, props);
        assertEquals(7, o.globalTimeoutMillis(), "the argument");
        assertEquals(250, o.stragglerMillis(), "the system property wins over the environment");
        assertEquals(List.of("com.acme", "com.foo"), o.packages());
        assertTrue(o.debug(), "the environment");
        assertEquals(Path.of("/etc/keys"), o.trustedKeys());
        assertEquals(List.of("a.B#c", "d.E#f"), o.unitsOfWork());
    }

    @Test
    void theArgumentWinsOverBoth() {
        Properties props = new Properties();
        props.setProperty("livepatch4j.jmx", "off");
        AgentOptions o = AgentOptions.parse("jmx=on", Map.of("LIVEPATCH4J_JMX", "off"), props);
        assertTrue(o.jmx());
    }

    @Test
    void aTypoIsRefusedInEveryForm() {
        Properties props = new Properties();
        props.setProperty("livepatch4j.pakages", "com.acme");
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("", Map.of(), props));
        assertTrue(p.getMessage().contains("livepatch4j.pakages") && p.getMessage().contains("docs/agent.md"), p.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("", Map.of("LIVEPATCH4J_PAKAGES", "x"), new Properties()));
        assertTrue(e.getMessage().contains("LIVEPATCH4J_PAKAGES") && e.getMessage().contains("LIVEPATCH4J_PACKAGES"),
            e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("pakages=x"));
        assertTrue(a.getMessage().contains("'pakages'"), a.getMessage());
    }

    @Test
    void aUnitOfWorkOnAConstructorIsRefusedWithWhatToNameInstead() {
        for (String bad : java.util.List.of("com.acme.Worker#<init>", "com.acme.Worker#<clinit>")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("unitOfWork=" + bad));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("unitOfWork=" + bad)
                && e.getMessage().contains("name the method that does the work"), e.getMessage());
        }
    }

    @Test
    void aPackagePatternIsRefusedWithTheNameToWriteInstead() {
        IllegalArgumentException star = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("packages=com.acme.*"));
        assertTrue(star.getMessage().contains("write packages=com.acme (its subpackages are prepared too)"), star.getMessage());
        IllegalArgumentException slash = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("packages=com/acme/"));
        assertTrue(slash.getMessage().contains("write packages=com.acme"), slash.getMessage());
        IllegalArgumentException junk = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("packages=com.acme,1bad"));
        assertTrue(junk.getMessage().contains("packages=1bad is not a package name"), junk.getMessage());
        assertEquals(List.of("com.acme", "io.x_y.$z"), AgentOptions.parse("packages=com.acme,io.x_y.$z").packages());
    }

    @Test
    void environmentNamesSplitWordsWithUnderscores() {
        assertEquals("LIVEPATCH4J_GLOBAL_TIMEOUT_MILLIS", AgentOptions.envName("globalTimeoutMillis"));
        assertEquals("LIVEPATCH4J_JMX", AgentOptions.envName("jmx"));
    }

    /**
     * Review of issue 15: an empty system property (a templated -Dlivepatch4j.trustedKeys=${KEYS} with
     * KEYS unset) hid the environment's trustedKeys and the agent started accepting unsigned patches.
     * A blank value is a mistake, as a typo is: refused, never taken as "not given".
     */
    @Test
    void anEmptyValueNeverSwitchesSignedOnlyOff() {
        Properties props = new Properties();
        props.setProperty("livepatch4j.trustedKeys", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("", Map.of("LIVEPATCH4J_TRUSTED_KEYS", "/etc/keys"), props),
            "an empty -Dlivepatch4j.trustedKeys must not hide LIVEPATCH4J_TRUSTED_KEYS=/etc/keys");
        assertTrue(e.getMessage().contains("livepatch4j.trustedKeys"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("", Map.of("LIVEPATCH4J_TRUSTED_KEYS", " "), new Properties()));
    }
}
