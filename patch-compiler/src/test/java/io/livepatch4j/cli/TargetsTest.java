package io.livepatch4j.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which JVM a command means when it is not given by pid: jcmd's matching, the only JVM, and refusals that list the candidates. */
class TargetsTest {

    private static final Targets.Candidate SHOP = new Targets.Candidate(101, "com.acme.shop.ShopServer", "com.acme.shop.ShopServer -p 80");
    private static final Targets.Candidate SHOP_ADMIN = new Targets.Candidate(102, "com.acme.shop.ShopServerAdmin", "com.acme.shop.ShopServerAdmin");
    private static final Targets.Candidate JAR = new Targets.Candidate(103, "/opt/billing/billing-2.1.jar", "/opt/billing/billing-2.1.jar --prod");

    @Test
    void withNoTargetTheOnlyJvmIsChosenAndSeveralAreListed() throws Lp4jException {
        assertEquals(103, Targets.choose(null, List.of(JAR)));
        Lp4jException several = assertThrows(Lp4jException.class, () -> Targets.choose(null, List.of(SHOP, JAR)));
        assertEquals(Lp4jException.USAGE, several.exitCode());
        assertTrue(several.getMessage().contains("2 JVMs of user") && several.getMessage().contains("101 com.acme.shop.ShopServer")
            && several.getMessage().contains("103 /opt/billing/billing-2.1.jar"), several.getMessage());
        Lp4jException none = assertThrows(Lp4jException.class, () -> Targets.choose(null, List.of()));
        assertEquals(Lp4jException.TARGET, none.exitCode());
    }

    /**
     * Review of issue 15: '--main ""' (a script's unset variable) matched every JVM, as a part of
     * each name: with one JVM running, lp4j went on with that one, as if no --main had been given.
     */
    @Test
    void aBlankNameIsAUsageErrorNotAMatchForEveryJvm() {
        for (String blank : List.of("", "  ")) {
            Lp4jException e = assertThrows(Lp4jException.class, () -> Targets.choose(blank, List.of(JAR)));
            assertEquals(Lp4jException.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("--main"), e.getMessage());
        }
    }

    @Test
    void aNameMatchesTheMainClassOrJarAsJcmdDoesAndAnExactNameWins() throws Lp4jException {
        List<Targets.Candidate> all = List.of(SHOP, SHOP_ADMIN, JAR);
        assertEquals(101, Targets.choose("ShopServer", all), "the simple name, exactly, over ShopServerAdmin");
        assertEquals(101, Targets.choose("com.acme.shop.ShopServer", all));
        assertEquals(102, Targets.choose("Admin", all), "a part of the name, as jcmd matches");
        assertEquals(103, Targets.choose("billing-2.1.jar", all), "the jar's file name");
        assertEquals(103, Targets.choose("billing-2.1", all), "without .jar");
        assertEquals(103, Targets.choose("billing", all));
    }

    @Test
    void anAmbiguousNameIsRefusedListingTheCandidatesAndAnUnknownOneSaysWhatRuns() {
        Lp4jException two = assertThrows(Lp4jException.class, () -> Targets.choose("shop", List.of(SHOP, SHOP_ADMIN, JAR)));
        assertEquals(Lp4jException.USAGE, two.exitCode());
        assertTrue(two.getMessage().startsWith("2 JVMs match 'shop'") && two.getMessage().contains("101 ")
            && two.getMessage().contains("102 ") && !two.getMessage().contains("103 "), two.getMessage());
        Lp4jException none = assertThrows(Lp4jException.class, () -> Targets.choose("inventory", List.of(SHOP, JAR)));
        assertEquals(Lp4jException.TARGET, none.exitCode());
        assertTrue(none.getMessage().contains("matching 'inventory'") && none.getMessage().contains("103 /opt/billing"),
            none.getMessage());
    }

    @Test
    void pidAndNameTogetherAreRefused() {
        Lp4jException both = assertThrows(Lp4jException.class, () -> Targets.choose(5L, "shop"));
        assertEquals(Lp4jException.USAGE, both.exitCode());
    }
}
