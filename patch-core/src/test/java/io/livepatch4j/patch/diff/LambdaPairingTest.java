package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.Javac;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lambda bodies are paired by their creation site, never by javac's numbering. */
class LambdaPairingTest {

    private static final String HEAD = "package p; import java.util.function.*; class C { ";

    private static byte[] compile(String body) {
        return Javac.compile("p.C", HEAD + body + " }");
    }

    /** Lambda body name to its code (lambda names blanked), after aligning v2 to v1. */
    private static Map<String, String> lambdas(byte[] bytes) {
        Map<String, String> out = new TreeMap<>();
        for (MethodNode m : ClassDiff.read(bytes).methods) {
            if (m.name.startsWith("lambda$")) {
                out.put(m.name, MethodBodies.fingerprint(m).replaceAll("lambda\\$[A-Za-z0-9_$]*", "lambda\\$"));
            }
        }
        return out;
    }

    @Test
    void lambdaAddedBeforeAnExistingOneGetsAFreshNameAndTheExistingOneKeepsItsName() {
        byte[] v1 = compile("Supplier<String> install() { return () -> \"installed\"; }");
        byte[] v2 = compile("Supplier<String> install() { Supplier<String> audit = () -> \"audited\";"
            + " return audit.get().isEmpty() ? audit : () -> \"installed\"; }");
        byte[] aligned = LambdaPairing.align(v1, v2);
        Map<String, String> before = lambdas(v1);
        Map<String, String> after = lambdas(aligned);
        assertEquals(before.get("lambda$install$0"), after.get("lambda$install$0"),
            "lambda$install$0 still holds the body \"installed\"");
        assertEquals(2, after.size(), after.keySet().toString());
        String fresh = after.keySet().stream().filter(n -> !n.equals("lambda$install$0")).findFirst().orElseThrow();
        assertTrue(fresh.startsWith("lambda$install$lp4j$"), fresh);

        ClassDiff.Result diff = ClassDiff.compare(v1, aligned);
        assertTrue(diff.changes().stream().noneMatch(c -> c.member().startsWith("lambda$install$0")), diff.toString());
        assertTrue(diff.changes().stream().anyMatch(c -> c.kind() == ChangeKind.METHOD_ADDED
            && c.member().startsWith(fresh)), diff.toString());
    }

    @Test
    void swappedLambdasPairEachBodyWithItsIdenticalOldBody() {
        byte[] v1 = compile("IntUnaryOperator f(boolean inc) { return inc ? x -> x + 1 : x -> x * 2; }");
        byte[] v2 = compile("IntUnaryOperator f(boolean inc) { return !inc ? x -> x * 2 : x -> x + 1; }");
        byte[] aligned = LambdaPairing.align(v1, v2);
        assertEquals(lambdas(v1), lambdas(aligned), "each name keeps the body it had");
        ClassDiff.Result diff = ClassDiff.compare(v1, aligned);
        assertEquals(List.of("f(Z)Ljava/util/function/IntUnaryOperator;"),
            diff.changes().stream().map(c -> c.member()).toList(), diff.toString());
    }

    @Test
    void changedLambdaAtTheSameSiteKeepsItsNameAsAMethodBodyChange() {
        byte[] v1 = compile("Supplier<String> s() { return () -> \"a\"; }");
        byte[] v2 = compile("Supplier<String> s() { return () -> \"b\"; }");
        byte[] aligned = LambdaPairing.align(v1, v2);
        assertSame(v2, aligned, "nothing to rename");
        ClassDiff.Result diff = ClassDiff.compare(v1, aligned);
        assertEquals(ChangeKind.METHOD_BODY, diff.changes().get(0).kind());
    }

    @Test
    void removedLambdaStaysAsARemovedMethodAndItsNameIsNeverReused() {
        byte[] v1 = compile("Supplier<String> a() { return () -> \"a\"; } Supplier<String> b() { return () -> \"b\"; }");
        byte[] v2 = compile("Supplier<String> a() { return null; } Supplier<String> b() { return () -> \"b\"; }"
            + " Runnable c() { return () -> {}; }");
        byte[] aligned = LambdaPairing.align(v1, v2);
        Map<String, String> after = lambdas(aligned);
        assertFalse(after.containsKey("lambda$a$0"), after.keySet().toString());
        assertEquals(lambdas(v1).get("lambda$b$1"), after.get("lambda$b$1"));
        ClassDiff.Result diff = ClassDiff.compare(v1, aligned);
        assertTrue(diff.changes().stream().anyMatch(c -> c.kind() == ChangeKind.METHOD_REMOVED
            && c.member().startsWith("lambda$a$0")), diff.toString());
        assertTrue(after.keySet().stream().anyMatch(n -> n.startsWith("lambda$c$lp4j$")), after.keySet().toString());
    }

    @Test
    void alignedAgainstARenamedVersionPairsTheSameWay() {
        byte[] v1 = compile("Supplier<String> install() { return () -> \"installed\"; }");
        byte[] v2 = compile("Supplier<String> install() { Supplier<String> audit = () -> \"audited\";"
            + " return audit.get().isEmpty() ? audit : () -> \"installed\"; }");
        byte[] v3 = compile("Supplier<String> install() { Supplier<String> audit = () -> \"audited!\";"
            + " return audit.get().isEmpty() ? audit : () -> \"installed\"; }");
        byte[] running = LambdaPairing.align(v1, v2);
        Map<String, String> v2Names = lambdas(running);
        Map<String, String> v3Names = lambdas(LambdaPairing.align(running, v3));
        assertEquals(v2Names.keySet(), v3Names.keySet(), "v3's lambdas take the names they have in the running v2");
        assertNotEquals(v2Names, v3Names, "the audit lambda changed its body");
        ClassNode c = ClassDiff.read(running);
        assertEquals("p/C", c.name);
    }

    @Test
    void renamedSerializableLambdaIsStillFoundByDeserializeLambda() {
        String head = "interface S extends Supplier<String>, java.io.Serializable {} ";
        byte[] v1 = compile(head + "S install() { return () -> \"installed\"; }");
        byte[] v2 = compile(head + "S install() { S audit = () -> \"audited\"; return audit.get().isEmpty() ? audit"
            + " : () -> \"installed\"; }");
        byte[] aligned = LambdaPairing.align(v1, v2);
        Set<String> lambdaNames = lambdas(aligned).keySet();
        Set<String> named = new TreeSet<>();
        for (MethodNode m : ClassDiff.read(aligned).methods) {
            if (m.name.equals("$deserializeLambda$")) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String str && str.startsWith("lambda$")) {
                        named.add(str);
                    }
                }
            }
        }
        assertEquals(lambdaNames, named, "$deserializeLambda$ compares against the bodies' new names");
    }

    @Test
    void lambdaInsideALambdaPairsWithinItsPairedEnclosingLambda() {
        byte[] v1 = compile("Supplier<Supplier<String>> f() { return () -> () -> \"inner\"; }");
        byte[] v2 = compile("Supplier<Supplier<String>> f() { Runnable first = () -> {}; first.run();"
            + " return () -> () -> \"inner\"; }");
        byte[] aligned = LambdaPairing.align(v1, v2);
        Map<String, String> before = lambdas(v1);
        Map<String, String> after = lambdas(aligned);
        before.forEach((name, code) -> assertEquals(code, after.get(name), name + " keeps its body"));
        assertEquals(3, after.size(), after.keySet().toString());
    }

    /** Lambda body name to the string constants it holds, for bodies that say who they are. */
    private static Map<String, String> texts(byte[] bytes) {
        Map<String, String> out = new TreeMap<>();
        for (MethodNode m : ClassDiff.read(bytes).methods) {
            if (m.name.startsWith("lambda$")) {
                StringBuilder sb = new StringBuilder();
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String str) {
                        sb.append(str);
                    }
                }
                out.put(m.name, sb.toString());
            }
        }
        return out;
    }

    @Test
    void lambdaInsertedBeforeAChangedOneOfTheSameKindDoesNotTakeItsName() {
        // Both bodies change (their text), and a third of the same kind comes before the second:
        // by position alone, "c" would take the name of "b", and v1's b objects would run c's body.
        byte[] v1 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"La@v1\"));"
            + " keep.accept(() -> System.out.println(\"Lb@v1\")); }");
        byte[] v2 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"La@v2\"));"
            + " keep.accept(() -> System.out.println(\"Lc@v2\")); keep.accept(() -> System.out.println(\"Lb@v2\")); }");
        Map<String, String> before = texts(v1);
        Map<String, String> after = texts(LambdaPairing.align(v1, v2));
        assertEquals("La@v1", before.get("lambda$m$0"));
        assertEquals("Lb@v1", before.get("lambda$m$1"));
        assertEquals("La@v2", after.get("lambda$m$0"));
        assertEquals("Lb@v2", after.get("lambda$m$1"), "b keeps b's name: " + after);
        String fresh = after.entrySet().stream().filter(e -> e.getValue().equals("Lc@v2")).findFirst().orElseThrow().getKey();
        assertTrue(fresh.startsWith("lambda$m$lp4j$"), fresh);
    }

    @Test
    void inAnUnchangedEnclosingMethodSitesPairByPositionWhateverTheirBodies() {
        // The enclosing code is the same: the first accept(...) site now registers what prints Lb@v2,
        // so the object it registered before the patch must print that too, as in the new build.
        byte[] v1 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"La\"));"
            + " keep.accept(() -> System.out.println(\"Lb\")); }");
        byte[] v2 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"Lb@v2\"));"
            + " keep.accept(() -> System.out.println(\"La@v2\")); }");
        Map<String, String> after = texts(LambdaPairing.align(v1, v2));
        assertEquals(Map.of("lambda$m$0", "Lb@v2", "lambda$m$1", "La@v2"), after);
        assertEquals(List.of(), LambdaPairing.uncertainPairings(v1, v2));
    }

    @Test
    void swappedBodiesInAnUnchangedMethodMoveWithTheirSites() {
        byte[] v1 = compile("IntUnaryOperator f(boolean inc) { return inc ? x -> x + 1 : x -> x * 2; }");
        byte[] v2 = compile("IntUnaryOperator f(boolean inc) { return inc ? x -> x * 2 : x -> x + 1; }");
        Map<String, String> before = lambdas(v1);
        Map<String, String> after = lambdas(LambdaPairing.align(v1, v2));
        assertEquals(before.get("lambda$f$1"), after.get("lambda$f$0"), "the inc site now makes x * 2");
        assertEquals(before.get("lambda$f$0"), after.get("lambda$f$1"));
    }

    @Test
    void pairingByCodeAgainstTheCodeAroundTheSitesIsReportedAsAGuess() {
        byte[] v1 = compile("IntUnaryOperator f(boolean inc) { return inc ? x -> x + 1 : x -> x * 2; }");
        byte[] v2 = compile("IntUnaryOperator f(boolean inc) { return !inc ? x -> x * 2 : x -> x + 1; }");
        assertEquals(2, LambdaPairing.uncertainPairings(v1, v2).size(), LambdaPairing.uncertainPairings(v1, v2).toString());
    }

    @Test
    void removingTheFirstOfTwoChangedLambdasLeavesTheSecondItsName() {
        byte[] v1 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"La@v1\"));"
            + " keep.accept(() -> System.out.println(\"Lb@v1\")); }");
        byte[] v2 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"Lb@v2\")); }");
        Map<String, String> after = texts(LambdaPairing.align(v1, v2));
        assertEquals(Map.of("lambda$m$1", "Lb@v2"), after, "a's name is left to the removed body");
    }

    @Test
    void editDistanceCountsChangedNamesAndNumbersOnce() {
        assertEquals(0, LambdaPairing.distance("LDC \"abc\"", "LDC \"abc\""));
        assertEquals(1, LambdaPairing.distance("LDC \"Ls4@v1\" y", "LDC \"Ls4@v2\" y"));
        assertEquals(2, LambdaPairing.distance("LDC \"Ls4@v1\" y", "LDC \"Ls5@v2\" y"));
        assertEquals(2, LambdaPairing.distance("LDC \"Ls2\"", "LDC \"Ls2@v2\""));
        assertEquals(3, LambdaPairing.distance("LDC \"Ls2\"", "LDC \"Ls1@v2\""),
            "the 2 of v2 does not make Ls1@v2 as close to Ls2 as Ls2@v2 is");
        assertEquals(3, LambdaPairing.distance("Ls1", "Ls10@v2"));
    }

    @Test
    void swappedLambdasWhoseTextGainsASuffixPairByPositionInAnUnchangedMethod() {
        byte[] v1 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"Ls2\"));"
            + " keep.accept(() -> System.out.println(\"Ls1\")); }");
        byte[] v2 = compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"Ls1@v2\"));"
            + " keep.accept(() -> System.out.println(\"Ls2@v2\")); }");
        Map<String, String> after = texts(LambdaPairing.align(v1, v2));
        assertEquals(Map.of("lambda$m$0", "Ls1@v2", "lambda$m$1", "Ls2@v2"), after);
    }

    @Test
    void aNameAnEarlierVersionGaveAnotherBodyIsNeverTakenAgain() {
        // v2 adds x, v3 removes it, v4 adds y at the same kind of site: each step pairs against the one
        // before, where x's name is free again; v2's x objects, still alive, must not run y.
        byte[] v1 = compile("void m(Consumer<Runnable> keep) { }");
        byte[] v2 = LambdaPairing.align(v1, compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"x\")); }"));
        byte[] v3 = LambdaPairing.align(v2, compile("void m(Consumer<Runnable> keep) { }"), List.of(v1, v2));
        byte[] v4 = LambdaPairing.align(v3, compile("void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"y\")); }"),
            List.of(v1, v2, v3));
        String x = texts(v2).keySet().iterator().next();
        String y = texts(v4).keySet().iterator().next();
        assertNotEquals(x, y, "y takes a name of its own");
        assertEquals(x, texts(LambdaPairing.align(v3, compile("void m(Consumer<Runnable> keep) {"
            + " keep.accept(() -> System.out.println(\"y\")); }"))).keySet().iterator().next(),
            "against the running version alone, y would take x's name");
    }

    @Test
    void aLambdaBroughtBackTakesTheNameItHadInAnEarlierVersion() {
        String with = "void m(Consumer<Runnable> keep) { keep.accept(() -> System.out.println(\"a\")); }";
        byte[] v1 = compile(with);
        byte[] v2 = LambdaPairing.align(v1, compile("void m(Consumer<Runnable> keep) { }"));
        byte[] v3 = LambdaPairing.align(v2, compile(with), List.of(v1, v2));
        assertEquals(Set.of("lambda$m$0"), texts(v3).keySet(), "objects v1 made run it again");
    }
}
