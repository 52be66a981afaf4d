package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.Javac;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule for a method a patch adds that overrides one a supertype of the running JVM declares: such
 * an override is refused (callers through the loaded supertype cannot reach it), and a private or
 * static method, which overrides nothing, is not, without reading any supertype for it.
 */
class InheritedOverridesTest {

    private static final String BASE = "package p; public class Base { public String name() { return \"base\"; } }";

    private static List<Refusal> refusals(String before, String after, List<String> read) {
        Map<String, byte[]> v1 = Javac.compileAll(Map.of("p.Base", BASE, "p.C", before));
        Map<String, byte[]> v2 = Javac.compileAll(Map.of("p.Base", BASE, "p.C", after));
        ClassDiff.Result diff = ClassDiff.compare(v1.get("p.C"), v2.get("p.C"));
        return InheritedOverrides.refusals("p.C", diff, internal -> {
            read.add(internal);
            byte[] bytes = v1.get(internal.replace('/', '.'));
            return bytes == null ? null : ClassShape.of(bytes);
        }, ClassShape.of(v2.get("p.C")));
    }

    @Test
    void anAddedOverrideOfAnInheritedMethodIsRefused() {
        List<Refusal> r = refusals("package p; public class C extends Base { }",
            "package p; public class C extends Base { @Override public String name() { return \"c\"; } }", new ArrayList<>());
        assertEquals(1, r.size(), String.valueOf(r));
        assertTrue(r.get(0).message().contains("overrides p.Base.name()"), r.get(0).message());
    }

    @Test
    void anAddedPrivateOrStaticMethodOverridesNothingAndReadsNoSupertype() {
        List<String> read = new ArrayList<>();
        List<Refusal> r = refusals("package p; public class C extends Base { }",
            "package p; public class C extends Base { private String helper() { return \"h\"; } "
                + "static String tool() { return \"t\"; } private Runnable r() { return () -> helper(); } }", read);
        assertEquals(List.of(), r);
        assertEquals(List.of(), read, "no class file read for methods that cannot override");
    }

    @Test
    void aClassThatAddsNoMethodReadsNoSupertype() {
        List<String> read = new ArrayList<>();
        List<Refusal> r = refusals("package p; public class C extends Base { int f() { return 1; } }",
            "package p; public class C extends Base { int f() { return 2; } }", read);
        assertEquals(List.of(), r);
        assertEquals(List.of(), read);
    }
}
