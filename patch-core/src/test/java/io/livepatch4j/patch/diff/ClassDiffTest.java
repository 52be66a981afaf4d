package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.Javac;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDiffTest {

    private static ClassDiff.Result diff(String v1, String v2, String... options) {
        return ClassDiff.compare(Javac.compile("p.C", "package p;\n" + v1), Javac.compile("p.C", "package p;\n" + v2, options));
    }

    /**
     * The agent's comparison (compareCarried) skips what a patch cannot carry, and nothing else: the
     * changes and refusals are the builder's, over a change that has every kind of each.
     */
    @Test
    void theAgentsComparisonHasTheSameChangesAndRefusalsWithoutWhatIsNotCarried() {
        String v1 = "class C implements Cloneable { int n; static final int K = 1; @Deprecated public void a(int x) {} "
            + "synchronized int b() { return 1; } public void gone() {} C(int n) { this.n = n; } "
            + "void t() throws java.io.IOException {} }";
        String v2 = "class C implements Cloneable { long n; private final StringBuilder sb = new StringBuilder(); "
            + "public void a(int y) {} int b() { return 2; } public void added() {} C(int n) { this.n = n + 1; } "
            + "void t() {} }";
        byte[] a = Javac.compile("p.C", "package p;\n" + v1, "-parameters");
        byte[] b = Javac.compile("p.C", "package p;\n" + v2, "-parameters");
        ClassDiff.Result all = ClassDiff.compare(a, b);
        ClassDiff.Result carried = ClassDiff.compareCarried(a, b);
        assertEquals(all.changes(), carried.changes());
        assertEquals(all.refusals(), carried.refusals());
        assertEquals(all.sameCode(), carried.sameCode());
        assertTrue(!all.changes().isEmpty() && all.notCarried().size() > carried.notCarried().size(), all.toString());
        assertTrue(all.notCarried().containsAll(carried.notCarried()), carried.toString());
    }

    @Test
    void lineNumberOnlyChangeIsNotAChange() {
        ClassDiff.Result r = diff("class C { int sum() { int a = 1;\n int b = 2;\n return a + b; } }",
            "class C { int sum() { int a = 1; int b = 2; return a + b; } }");
        assertTrue(r.unchanged(), r.toString());
    }

    @Test
    void debugInformationOrNotIsNotAChange() {
        String src = "class C { int loop(int n) { int s = 0; for (int i = 0; i < n; i++) { s += i; } return s; } }";
        assertTrue(diff(src, src, "-g:none").unchanged());
        assertTrue(diff(src, src, "-g").unchanged());
    }

    @Test
    void constructorWhoseSuperCallSpansMoreLinesIsStillTheSameConstructor() {
        ClassDiff.Result r = diff("class C extends Thread { C(String n) { super(n); } }",
            "class C extends Thread { C(String n) {\n super(\n n); } }");
        assertTrue(r.unchanged(), r.toString());
    }

    @Test
    void realBodyChangeIsAMethodBodyChange() {
        ClassDiff.Result r = diff("class C { int f() { return 1; } }", "class C { int f() { return 2; } }");
        assertEquals(1, r.changes().size());
        assertEquals(ChangeKind.METHOD_BODY, r.changes().get(0).kind());
        assertEquals("f()I", r.changes().get(0).member());
    }

    @Test
    void changedBranchTargetsAreAChange() {
        ClassDiff.Result r = diff("class C { int f(int x) { if (x > 0) return 1; return 2; } }",
            "class C { int f(int x) { if (x >= 0) return 1; return 2; } }");
        assertTrue(r.patchable() && !r.unchanged(), r.toString());
    }

    @Test
    void addedFinalInstanceFieldWithAnInitializerIsAShadowFieldThatExistingObjectsGetLazily() {
        ClassDiff.Result r = diff("class C { }", "class C { private final StringBuilder sb = new StringBuilder(); }");
        assertTrue(r.patchable(), r.toString());
        assertTrue(r.changes().stream().anyMatch(c -> c.kind() == ChangeKind.FIELD_ADDED
            && c.member().equals("sb:Ljava/lang/StringBuilder;") && c.note().contains("initializer's value on first access")),
            r.toString());
    }

    @Test
    void addedFinalFieldSetFromConstructorArgumentsIsReportedForExistingObjects() {
        ClassDiff.Result r = diff("class C { C(int n) { } }", "class C { private final int n; C(int n) { this.n = n; } }");
        assertTrue(r.patchable(), r.toString());
        assertTrue(r.notCarried().stream().anyMatch(n -> n.message().contains("p.C#n:I")
            && n.message().contains("constructors' arguments")), r.toString());
    }

    @Test
    void retypedFieldKeepsTheOldOneAndConvertsItsValue() {
        ClassDiff.Result r = diff("class C { int n; }", "class C { long n; }");
        assertTrue(r.patchable(), r.toString());
        assertTrue(r.changes().stream().anyMatch(c -> c.kind() == ChangeKind.FIELD_REMOVED && c.member().equals("n:I")),
            r.toString());
        assertTrue(r.changes().stream().anyMatch(c -> c.kind() == ChangeKind.FIELD_ADDED && c.member().equals("n:J")
            && c.note().contains("old field's value, converted")), r.toString());
    }

    @Test
    void addedFieldWithAnInitializerIsPatchableWithANoteAboutExistingObjects() {
        ClassDiff.Result r = diff("class C { }", "class C { private int hits = 5; }");
        assertTrue(r.patchable(), r.toString());
        assertTrue(r.changes().stream().anyMatch(c -> c.kind() == ChangeKind.FIELD_ADDED
            && c.note().contains("initializer's value on first access")), r.toString());
    }

    @Test
    void changedStaticInitializerRunsOnlyItsNewStatementsAndNamesTheKeptState() {
        ClassDiff.Result r = diff("class C { static int A = 1; static int B = 2; }",
            "class C { static int A = 1; static int B = 3; static int C = 4; }");
        assertTrue(r.patchable(), r.toString());
        assertTrue(r.changes().stream().anyMatch(c -> c.kind() == ChangeKind.STATIC_INITIALIZER
            && c.note().contains("2 of 3 statement(s)") && c.note().contains("B:I")), r.toString());
        assertTrue(r.notCarried().stream().anyMatch(n -> n.message().contains("B:I")), r.toString());
    }

    @Test
    void changedRecordConstructorThatWritesTheRecordsFieldsIsRefusedAtBuild() {
        ClassDiff.Result r = diff("record C(String name) { C { name = name.trim(); } }",
            "record C(String name) { C { name = name.trim().toLowerCase(); } }");
        assertEquals(1, r.refusals().size(), r.toString());
        String message = r.refusals().get(0).message();
        assertTrue(message.startsWith("p.C#<init>(Ljava/lang/String;)V: "), message);
        assertTrue(message.contains("record") && message.contains("name") && message.contains("static factory"), message);
    }

    @Test
    void recordMethodBodyChangeIsStillPatchable() {
        ClassDiff.Result r = diff("record C(String name) { String shout() { return name; } }",
            "record C(String name) { String shout() { return name.toUpperCase(); } }");
        assertTrue(r.patchable(), r.toString());
    }
}
