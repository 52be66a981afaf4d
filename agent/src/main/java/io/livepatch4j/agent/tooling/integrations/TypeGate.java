package io.livepatch4j.agent.tooling.integrations;

import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes the integrations instrument, declared once, asked about for every class that loads.
 * Most integrations declare hooks woven with plain ASM ({@link #weave}): their classes are known by
 * name. The Servlet API's integrations instrument the implementations of an API's types
 * ({@link #implementing}, {@link #extending}) with Byte Buddy's advice; for those the gate
 * {@link #admits} a class when a walk of supertype names read from class files reaches an API type,
 * in loaders that have the API, and only such classes reach Byte Buddy, which describes each class
 * it is given before any matcher runs (a server loads thousands: docs/results/startup.md).
 *
 * <p>The gate may admit a class that no integration instruments (Byte Buddy then decides), never the
 * other way round: a supertype it cannot read counts as a match.
 *
 * <p>Declaration happens once, on the agent's start path, before the gate is used; after that the
 * gate is read by any thread that loads a class. The declared sets are frozen by {@link #seal}; the
 * caches of supertypes are concurrent maps, per class loader in a synchronized weak map.
 */
public final class TypeGate {

    /**
     * For implementations of an API's types: the class file of its first type. A loader that has
     * none of these gets no supertype walk (most loaders, and the boot loader, have no API).
     */
    private Set<String> apiResources = new HashSet<>();
    /** The API types, the only supertypes the caches below remember. */
    private Set<String> apiTypes = new HashSet<>();
    /** Classes woven with plain ASM (Hooks), which never reach Byte Buddy. */
    private List<Hooks.ClassHooks> woven = new ArrayList<>();
    private final Map<ClassLoader, Map<String, Boolean>> loaderHas = Collections.synchronizedMap(new WeakHashMap<>());
    /** Per loader: for a type, the API types it is or inherits (empty for most). */
    private final Map<ClassLoader, Map<String, Set<String>>> inherited = Collections.synchronizedMap(new WeakHashMap<>());

    /** Declares the classes (binary names) that implement one of {@code interfaces}, in loaders that have the first. */
    public void implementing(String... interfaces) {
        declareApi(interfaces);
    }

    /** Declares the classes that extend {@code superclass}, directly or not, in loaders that have it. */
    public void extending(String superclass) {
        declareApi(superclass);
    }

    private void declareApi(String... types) {
        apiResources.add(internal(types[0]) + ".class");
        for (String t : types) {
            apiTypes.add(internal(t));
        }
    }

    /** Declares hooks woven with plain ASM: their classes are admitted for weaving, not for Byte Buddy. */
    public void weave(Hooks.ClassHooks hooks) {
        woven.add(hooks);
    }

    /** The woven hooks that match the class {@code name} (internal), usually none. */
    public List<Hooks.ClassHooks> weaving(String name) {
        List<Hooks.ClassHooks> found = null;
        for (Hooks.ClassHooks h : woven) {
            if (h.matches(name)) {
                if (found == null) {
                    found = new ArrayList<>();
                }
                found.add(h);
            }
        }
        return found == null ? List.of() : found;
    }

    /** Ends the declarations: from here on the gate is only read. */
    public void seal() {
        woven = List.copyOf(woven);
        apiResources = Set.copyOf(apiResources);
        apiTypes = Set.copyOf(apiTypes);
    }

    /** Whether a class being defined or retransformed ({@code name} internal, its class file {@code bytes}) may get Byte Buddy's advice. */
    public boolean admits(ClassLoader loader, String name, byte[] bytes) {
        if (loader == null || apiResources.isEmpty() || !withApi(loader)) {
            return false;
        }
        Set<String> found = inheritedFrom(loader, directSupertypes(bytes), new HashSet<>());
        if (apiTypes.contains(name)) {
            found.add(name);
        }
        // Its subclasses, which load later, find the answer here instead of reading this class file again.
        inherited.computeIfAbsent(loader, l -> new ConcurrentHashMap<>()).putIfAbsent(name, Set.copyOf(found));
        return !found.isEmpty();
    }

    /** Whether a loaded class may get Byte Buddy's advice (to retransform those loaded before the agent). */
    public boolean admits(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || apiResources.isEmpty() || !withApi(loader)) {
            return false;
        }
        Set<String> found = new HashSet<>();
        collectLoaded(type, found, new HashSet<>());
        return !Collections.disjoint(apiTypes, found);
    }

    /** Whether {@code loader} can load the first type of some declared API (one resource lookup per loader and API). */
    private boolean withApi(ClassLoader loader) {
        Map<String, Boolean> known = loaderHas.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        for (String resource : apiResources) {
            if (known.computeIfAbsent(resource, r -> loader.getResource(r) != null)) {
                return true;
            }
        }
        return false;
    }

    private static void collectLoaded(Class<?> type, Set<String> found, Set<Class<?>> seen) {
        for (Class<?> t = type; t != null && seen.add(t); t = t.getSuperclass()) {
            found.add(t.getName().replace('.', '/'));
            for (Class<?> i : t.getInterfaces()) {
                collectLoaded(i, found, seen);
            }
        }
    }

    /**
     * The API types among {@code supertypes} and everything they inherit, read from {@code loader}'s
     * class files and remembered per loader. A class file that cannot be read makes the answer every
     * API type: the gate must not turn away what Byte Buddy would take.
     */
    private Set<String> inheritedFrom(ClassLoader loader, List<String> supertypes, Set<String> visiting) {
        Map<String, Set<String>> known = inherited.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        Set<String> found = new HashSet<>();
        for (String s : supertypes) {
            found.addAll(inheritedBy(loader, s, known, visiting));
        }
        return found;
    }

    private Set<String> inheritedBy(ClassLoader loader, String type, Map<String, Set<String>> known, Set<String> visiting) {
        if (type.startsWith("java/")) {
            return Set.of(); // no API type is in java.*, nor inherited by a JDK type
        }
        Set<String> cached = known.get(type);
        if (cached != null) {
            return cached;
        }
        if (!visiting.add(type)) {
            return Set.of(); // a cycle in broken class files
        }
        Set<String> result = new HashSet<>();
        if (apiTypes.contains(type)) {
            result.add(type);
        }
        byte[] bytes = classFile(loader, type);
        if (bytes == null) {
            result.addAll(apiTypes);
        } else {
            result.addAll(inheritedFrom(loader, directSupertypes(bytes), visiting));
        }
        Set<String> frozen = Set.copyOf(result);
        known.put(type, frozen);
        return frozen;
    }

    private static List<String> directSupertypes(byte[] bytes) {
        try {
            ClassReader reader = new ClassReader(bytes);
            List<String> supertypes = new ArrayList<>(List.of(reader.getInterfaces()));
            if (reader.getSuperName() != null) {
                supertypes.add(reader.getSuperName());
            }
            return supertypes;
        } catch (RuntimeException e) {
            return List.of(); // not a class file the JVM will take either
        }
    }

    private static byte[] classFile(ClassLoader loader, String type) {
        try (InputStream in = loader.getResourceAsStream(type + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String internal(String binaryName) {
        return binaryName.replace('.', '/');
    }
}
