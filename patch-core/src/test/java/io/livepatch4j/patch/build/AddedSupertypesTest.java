package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.diff.Refusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class the patch adds is defined against the loaded classes, which keep their kind and modifiers:
 * a supertype the new build turned into an interface (or back), opened, or widened the sealed list of
 * cannot take it, so the build refuses the added class instead of writing a patch the agent refuses.
 */
class AddedSupertypesTest {

    private static PatchBuilder.Report build(Map<String, byte[]> old, Map<String, byte[]> neu, List<String> only) {
        return PatchBuilder.build(old, neu, new PatchBuilder.Options("t", null, only, "test"));
    }

    /** log4j-core 2.14.1 -> 2.15.0: PatternLayout$PatternSerializer becomes an interface its added serializers implement. */
    @Test
    void anAddedClassImplementingWhatTheRunningJvmHasAsAClassIsRefusedNamingIt() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.Layout", "package p; public class Layout { static class Serializer { String s() { return \"1\"; } } "
                + "public String run() { return new Serializer().s(); } }",
            "p.Other", "package p; public class Other { public int n() { return 1; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.Layout", "package p; public class Layout { interface Serializer { String s(); } "
                + "static class Plain implements Serializer { public String s() { return \"2\"; } } "
                + "public String run() { return new Plain().s(); } }",
            "p.Other", "package p; public class Other { public int n() { return 2; } }"));
        Refusal refusal = build(old, neu, null).refusals().stream()
            .filter(r -> r.className().equals("p.Layout$Plain")).findFirst().orElseThrow();
        assertTrue(refusal.reason().contains("implements p.Layout$Serializer, which the running JVM has as a class, "
            + "not an interface") && refusal.reason().contains("IncompatibleClassChangeError"), refusal.message());
        assertTrue(refusal.advice().contains("--only"), refusal.message());
        assertEquals("added-class-supertype", ReasonCodes.of(refusal).code());

        PatchBuilder.Report without = build(old, neu, List.of("p.Other"));
        assertNotNull(without.patch(), "a selection that does not need the class builds: " + without.refusals());
        assertTrue(without.patch().newClasses().stream().map(NewClass::name).noneMatch("p.Layout$Plain"::equals));
    }

    @Test
    void anAddedClassExtendingAClassFinalInTheRunningJvmIsRefusedAndSaysWhoNeedsIt() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.Box", "package p; public final class Box { public String get() { return \"b\"; } }",
            "p.Main", "package p; public class Main { public String run() { return new Box().get(); } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.Box", "package p; public class Box { public String get() { return \"b\"; } }",
            "p.BigBox", "package p; public class BigBox extends Box { public String get() { return \"B\"; } }",
            "p.Main", "package p; public class Main { public String run() { return new BigBox().get(); } }"));
        PatchBuilder.Report r = build(old, neu, List.of("p.Main"));
        assertNull(r.patch());
        Refusal refusal = r.refusals().stream().filter(x -> x.className().equals("p.BigBox")).findFirst().orElseThrow();
        assertTrue(refusal.reason().contains("extends p.Box, which is final in the running JVM"), refusal.message());
        assertTrue(refusal.advice().contains("needed by p.Main"), refusal.message());
    }

    @Test
    void anAddedClassExtendingWhatTheRunningJvmHasAsAnInterfaceIsRefused() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.Shape", "package p; public interface Shape { }",
            "p.Main", "package p; public class Main { public Object run() { return null; } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.Shape", "package p; public abstract class Shape { }",
            "p.Circle", "package p; public class Circle extends Shape { }",
            "p.Main", "package p; public class Main { public Object run() { return new Circle(); } }"));
        Refusal refusal = build(old, neu, List.of("p.Main")).refusals().stream()
            .filter(x -> x.className().equals("p.Circle") && x.member() == null).findFirst().orElseThrow();
        assertTrue(refusal.reason().contains("extends p.Shape, which the running JVM has as an interface"), refusal.message());
    }

    @Test
    void anAddedSubclassASealedLoadedClassDoesNotNameIsRefused() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.Shape", "package p; public sealed interface Shape permits Circle { }",
            "p.Circle", "package p; public final class Circle implements Shape { }",
            "p.Main", "package p; public class Main { public Object run() { return new Circle(); } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.Shape", "package p; public sealed interface Shape permits Circle, Square { }",
            "p.Circle", "package p; public final class Circle implements Shape { }",
            "p.Square", "package p; public final class Square implements Shape { }",
            "p.Main", "package p; public class Main { public Object run() { return new Square(); } }"));
        Refusal refusal = build(old, neu, List.of("p.Main")).refusals().stream()
            .filter(x -> x.className().equals("p.Square")).findFirst().orElseThrow();
        assertTrue(refusal.reason().contains("implements p.Shape, which is sealed in the running JVM"), refusal.message());
    }

    @Test
    void anAddedClassExtendingAnOpenLoadedClassAndTheJdksTypesBuilds() {
        Map<String, byte[]> old = Javac.compileAll(Map.of(
            "p.Base", "package p; public class Base { public String get() { return \"b\"; } }",
            "p.Main", "package p; public class Main { public String run() { return new Base().get(); } }"));
        Map<String, byte[]> neu = Javac.compileAll(Map.of(
            "p.Base", "package p; public class Base { public String get() { return \"b\"; } }",
            "p.Sub", "package p; public class Sub extends Base implements Runnable, java.io.Serializable { "
                + "public void run() { } public String get() { return \"s\"; } }",
            "p.Main", "package p; public class Main { public String run() { return new Sub().get(); } }"));
        PatchBuilder.Report r = build(old, neu, List.of("p.Main"));
        assertNotNull(r.patch(), r.refusals().toString());
    }
}
