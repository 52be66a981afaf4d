package io.livepatch4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livepatch4j.demo.client.ResponseCheck;
import io.livepatch4j.demo.client.ResponseCheck.ServedVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * The two runnable jars, as the patch tool and the demo will use them: they differ in exactly the
 * intended methods, in ways the agent can patch, and each runs with {@code java -jar}.
 */
class RunnableJarsIT {

    /** The classes whose bytes differ between the builds; every other class must be identical. */
    private static final Set<String> VERSIONED_CLASSES = Set.of(
            "io/livepatch4j/demo/AccessPolicy.class",
            "io/livepatch4j/demo/ResponseRenderer.class",
            "io/livepatch4j/demo/CodeVersion.class");

    /** Methods whose bodies v2 changes, as owner.name+descriptor. */
    private static final Set<String> CHANGED_METHODS = Set.of(
            "io/livepatch4j/demo/AccessPolicy.admits"
                    + "(Lio/livepatch4j/demo/Operation;Ljava/lang/String;Lio/livepatch4j/demo/ServedBy;)Z",
            "io/livepatch4j/demo/ResponseRenderer.render"
                    + "(Lio/livepatch4j/demo/Reply;Lio/livepatch4j/demo/Operation;Lio/livepatch4j/demo/ServedBy;"
                    + "Lorg/eclipse/jetty/server/Response;Lorg/eclipse/jetty/util/Callback;)V",
            "io/livepatch4j/demo/CodeVersion.name()Ljava/lang/String;");

    /**
     * Methods v2 adds: none, so that the patch changes only method bodies and every strategy the
     * benchmarks compare (including redefine, which cannot add methods) can apply it.
     */
    private static final Set<String> ADDED_METHODS = Set.of();

    @Test
    void sharedClassesAreByteIdenticalInBothJars() throws IOException {
        Map<String, byte[]> v1 = classes("v1");
        Map<String, byte[]> v2 = classes("v2");
        assertEquals(v1.keySet(), v2.keySet(), "both builds must hold the same classes (v2 adds none, removes none)");
        Set<String> differing = v1.keySet().stream()
                .filter(name -> !Arrays.equals(v1.get(name), v2.get(name)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(VERSIONED_CLASSES), differing,
                "only the versioned classes may differ; a shared class that differs means the two "
                        + "compilations diverged, and the patch tool would see a change nobody made");
    }

    @Test
    void v2ChangesOnlyTheIntendedMethodsAndKeepsEveryClassShape() throws IOException {
        Map<String, byte[]> v1 = classes("v1");
        Map<String, byte[]> v2 = classes("v2");
        Set<String> changed = new TreeSet<>();
        Set<String> added = new TreeSet<>();
        for (String name : VERSIONED_CLASSES) {
            ClassNode before = read(v1.get(name));
            ClassNode after = read(v2.get(name));
            assertEquals(shape(before), shape(after), name + ": v2 must keep hierarchy, fields and nest of v1");

            Map<String, MethodNode> beforeMethods = methods(before);
            Map<String, MethodNode> afterMethods = methods(after);
            assertTrue(afterMethods.keySet().containsAll(beforeMethods.keySet()), name + ": v2 must not remove methods");
            for (Map.Entry<String, MethodNode> entry : afterMethods.entrySet()) {
                String method = before.name + "." + entry.getKey();
                MethodNode old = beforeMethods.get(entry.getKey());
                MethodNode now = entry.getValue();
                if (old == null) {
                    added.add(method);
                    assertTrue((now.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) != 0,
                            method + " is new in v2, so it must be private or static");
                } else {
                    assertEquals(old.access, now.access, method + ": v2 must keep its modifiers");
                    if (!text(old).equals(text(now))) {
                        changed.add(method);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(CHANGED_METHODS), changed,
                "methods whose code (including line numbers) differs between v1 and v2");
        assertEquals(new TreeSet<>(ADDED_METHODS), added);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void eachJarRunsWithJavaDashJarAndServesItsOwnVersion(String version) throws Exception {
        try (DemoServerProcess server = DemoServerProcess.fromJar(version, DemoServerProcess.smallStore())) {
            assertEquals(version, server.version);
            String leak = server.raw("GET /kv/private/item-0 HTTP/1.1\r\nHost: test\r\n" + ResponseCheck.API_KEY + ":");
            String expected = version.equals("v1") ? "HTTP/1.1 200 " : "HTTP/1.1 403 ";
            assertTrue(leak.startsWith(expected), "empty X-Api-Key on " + version + ": " + leak);
            assertEquals(version.equals("v1") ? ServedVersion.V1 : ServedVersion.V2,
                    ResponseCheck.classifyServedBy(BuildContract.header(leak, ResponseCheck.SERVED_BY)));
            server.stop();
        }
    }

    private static Map<String, byte[]> classes(String version) throws IOException {
        String jar = System.getProperty("demo.jar." + version);
        Map<String, byte[]> classes = new TreeMap<>();
        try (JarFile file = new JarFile(Path.of(jar).toFile())) {
            for (JarEntry entry : file.stream().toList()) {
                if (entry.getName().endsWith(".class")) {
                    classes.put(entry.getName(), file.getInputStream(entry).readAllBytes());
                }
            }
        }
        assertTrue(classes.containsKey("io/livepatch4j/demo/DemoServer.class"), jar + " holds the application");
        return classes;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }

    /** What the agent cannot change: everything about a class except its method bodies. */
    private static String shape(ClassNode c) {
        StringBuilder s = new StringBuilder();
        s.append(c.version).append(' ').append(c.access).append(' ').append(c.name).append(" extends ")
                .append(c.superName).append(" implements ").append(c.interfaces).append(" signature ")
                .append(c.signature).append(" nestHost ").append(c.nestHostClass).append(" nestMembers ")
                .append(c.nestMembers).append(" outer ").append(c.outerClass).append('\n');
        c.innerClasses.forEach(i -> s.append("inner ").append(i.name).append(' ').append(i.access).append('\n'));
        for (FieldNode f : c.fields) {
            s.append("field ").append(f.access).append(' ').append(f.name).append(' ').append(f.desc).append(' ')
                    .append(f.signature).append(" = ").append(f.value).append('\n');
        }
        return s.toString();
    }

    private static Map<String, MethodNode> methods(ClassNode c) {
        Map<String, MethodNode> methods = new TreeMap<>();
        c.methods.forEach(m -> methods.put(m.name + m.desc, m));
        return methods;
    }

    private static String text(MethodNode method) {
        Textifier textifier = new Textifier();
        method.accept(new TraceMethodVisitor(textifier));
        StringWriter out = new StringWriter();
        textifier.print(new PrintWriter(out));
        return out.toString();
    }
}
