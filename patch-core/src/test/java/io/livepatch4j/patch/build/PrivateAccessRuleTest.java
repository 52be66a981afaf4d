package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.diff.Refusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 9: patched code gets private access (through the owner's private lookup) only
 * within its host's nest and to the classes the patch changes or adds; a use of another class's
 * private member is refused at build time, with its own reason code.
 */
class PrivateAccessRuleTest {

    private static PatchBuilder.Report build(Map<String, String> old, Map<String, String> neu, String... only) {
        return PatchBuilder.build(Javac.compileAll(old), Javac.compileAll(neu),
            new PatchBuilder.Options("t", null, List.of(only), "test", false));
    }

    @Test
    void fixReadingAnotherTopLevelClassesPrivateFieldIsRefused() {
        // The new build widened Vault.secret; the running Vault keeps it private, and the patch leaves Vault out.
        PatchBuilder.Report r = build(Map.of(
                "p.Vault", "package p; public class Vault { private String secret = \"s\"; }",
                "p.Host", "package p; public class Host { public String f() { return \"\"; } }"),
            Map.of(
                "p.Vault", "package p; public class Vault { String secret = \"s\"; }",
                "p.Host", "package p; public class Host { public String f() { return new Vault().secret; } }"),
            "p.Host");
        assertNull(r.patch(), "refused");
        Refusal refusal = r.refusals().stream().filter(x -> x.message().contains("p.Vault.secret")).findFirst()
            .orElseThrow(() -> new AssertionError(r.refusals().toString()));
        assertTrue(refusal.message().contains("p.Host#f()Ljava/lang/String;: its code uses p.Vault.secret"), refusal.message());
        assertTrue(refusal.message().contains("neither in the nest of p.Host nor changed or added by the patch"),
            refusal.message());
        assertTrue(refusal.message().contains("include p.Vault in the patch"), refusal.message());
        assertEquals("private-access-outside-nest", ReasonCodes.of(refusal).code());
    }

    @Test
    void patchedCodeReadingAPrivateFieldOfItsHostsNestedClassIsAllowed() {
        PatchBuilder.Report r = build(Map.of(
                "p.Host", "package p; public class Host { static class Box { private int n = 1; } "
                    + "public int f() { return 0; } }"),
            Map.of(
                "p.Host", "package p; public class Host { static class Box { private int n = 1; } "
                    + "public int f() { return new Box().n; } }"),
            "p.Host");
        assertNotNull(r.patch(), r.refusals().toString());
    }

    @Test
    void addedNestedClassReadingItsOuterClassesPrivateFieldIsAllowed() {
        PatchBuilder.Report r = build(Map.of(
                "p.Host", "package p; public class Host { private int secret = 3; public int f() { return 0; } }"),
            Map.of(
                "p.Host", "package p; public class Host { private int secret = 3; "
                    + "public int f() { return new Peek().get(this); } "
                    + "static class Peek { int get(Host h) { return h.secret; } } }"),
            "p.Host");
        assertNotNull(r.patch(), r.refusals().toString());
    }

    @Test
    void aPrivateMemberOfAClassThePatchAlsoChangesIsAllowed() {
        PatchBuilder.Report r = build(Map.of(
                "p.Vault", "package p; public class Vault { private static String secret() { return \"s\"; } "
                    + "public static String open() { return \"\"; } }",
                "p.Host", "package p; public class Host { public String f() { return \"\"; } }"),
            Map.of(
                "p.Vault", "package p; public class Vault { static String secret() { return \"s\"; } "
                    + "public static String open() { return \"o\"; } }",
                "p.Host", "package p; public class Host { public String f() { return Vault.secret(); } }"),
            "p.Host", "p.Vault");
        assertTrue(r.refusals().stream().noneMatch(x -> ReasonCodes.of(x).code().equals("private-access-outside-nest")),
            r.refusals().toString());
    }
}
