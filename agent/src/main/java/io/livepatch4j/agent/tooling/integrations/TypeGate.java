package io.livepatch4j.agent.tooling.integrations;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes the integrations instrument and the hooks woven into them ({@link Hooks}), declared
 * once, asked about for every class that loads. Most integrations name their classes
 * ({@link #weave}). The Servlet API's integration instruments the implementations of an API's types
 * ({@link #implementing}, {@link #extending}): the gate finds them by a walk of supertype names read
 * from class files (never loading a class), only in loaders that have the API, remembering per loader
 * which API types each supertype is or inherits.
 *
 * <p>A supertype whose class file cannot be read inherits nothing: its class cannot be loaded either
 * (the JVM reads the same files), and a guess would weave API hooks into an unrelated class.
 *
 * <p>Declaration happens once, on the agent's start path, before the gate is used; after that the
 * gate is read by any thread that loads a class. The declared lists are frozen by {@link #seal}; the
 * caches of supertypes are concurrent maps, per class loader in a synchronized weak map (a web
 * application's loader, once dropped, takes its entries with it).
 */
public final class TypeGate {

    /** Hooks woven into the classes (not interfaces) that are or inherit one of {@code types} (internal names). */
    private record ApiHooks(Set<String> types, Hooks.ClassHooks hooks) {
    }

    /**
     * For implementations of an API's types: the class file of its first type. A loader that has
     * none of these gets no supertype walk (most loaders, and the boot loader, have no API).
     */
    private Set<String> apiResources = new HashSet<>();
    /** The API types, the only supertypes the caches below remember. */
    private Set<String> apiTypes = new HashSet<>();
    private List<ApiHooks> apiHooks = new ArrayList<>();
    /** Hooks of classes known by name. */
    private List<Hooks.ClassHooks> woven = new ArrayList<>();
    /** Those a user asked for (the unitOfWork option), whose methods missing from their class are reported. */
    private Set<Hooks.ClassHooks> asked = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<ClassLoader, Map<String, Boolean>> loaderHas = Collections.synchronizedMap(new WeakHashMap<>());
    /** Per loader: for a type, the API types it is or inherits (empty for most). */
    private final Map<ClassLoader, Map<String, Set<String>>> inherited = Collections.synchronizedMap(new WeakHashMap<>());

    /** Declares {@code hooks} for the classes (binary names) that implement one of {@code interfaces}, in loaders that have the first. */
    public void implementing(Hooks.ClassHooks hooks, String... interfaces) {
        declareApi(hooks, interfaces);
    }

    /** Declares {@code hooks} for the classes that extend {@code superclass}, directly or not, in loaders that have it. */
    public void extending(Hooks.ClassHooks hooks, String superclass) {
        declareApi(hooks, superclass);
    }

    private void declareApi(Hooks.ClassHooks hooks, String... types) {
        apiResources.add(internal(types[0]) + ".class");
        Set<String> group = new HashSet<>();
        for (String t : types) {
            group.add(internal(t));
        }
        apiTypes.addAll(group);
        apiHooks.add(new ApiHooks(Set.copyOf(group), hooks));
    }

    /** Declares hooks for the classes {@code hooks} names. */
    public void weave(Hooks.ClassHooks hooks) {
        woven.add(hooks);
    }

    /** Declares hooks a user asked for by name (the unitOfWork option): a method the class has no code for is reported. */
    public void weaveAsked(Hooks.ClassHooks hooks) {
        woven.add(hooks);
        asked.add(hooks);
    }

    /** Whether {@code hooks} were asked for by a user ({@link #weaveAsked}). */
    public boolean asked(Hooks.ClassHooks hooks) {
        return asked.contains(hooks);
    }

    /** The hooks declared for the class {@code name} (internal) by name, usually none. */
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
        asked = Collections.unmodifiableSet(asked);
        apiHooks = List.copyOf(apiHooks);
        apiResources = Set.copyOf(apiResources);
        apiTypes = Set.copyOf(apiTypes);
    }

    /**
     * The hooks for a class being defined or retransformed ({@code name} internal, its class file
     * {@code bytes}, defined by {@code loader}): those declared by its name, and those of the API
     * types it is or inherits.
     */
    public List<Hooks.ClassHooks> weaving(ClassLoader loader, String name, byte[] bytes) {
        List<Hooks.ClassHooks> byName = weaving(name);
        if (loader == null || apiResources.isEmpty() || !withApi(loader)) {
            return byName;
        }
        ClassReader reader;
        try {
            reader = new ClassReader(bytes);
        } catch (RuntimeException e) {
            return byName; // not a class file the JVM will take either
        }
        Set<String> found = inheritedFrom(loader, directSupertypes(reader), new HashSet<>());
        if (apiTypes.contains(name)) {
            found.add(name);
        }
        // Its subclasses, which load later, find the answer here instead of reading this class file again.
        inherited.computeIfAbsent(loader, l -> new ConcurrentHashMap<>()).putIfAbsent(name, Set.copyOf(found));
        if (found.isEmpty() || (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
            return byName;
        }
        return withApiHooks(byName, found);
    }

    /** Whether a loaded class has hooks (to retransform those loaded before the agent). */
    public boolean weaves(Class<?> type) {
        if (!weaving(type.getName().replace('.', '/')).isEmpty()) {
            return true;
        }
        ClassLoader loader = type.getClassLoader();
        if (type.isInterface() || loader == null || apiResources.isEmpty() || !withApi(loader)) {
            return false;
        }
        Set<String> found = new HashSet<>();
        collectLoaded(type, found, new HashSet<>());
        return !withApiHooks(List.of(), found).isEmpty();
    }

    private List<Hooks.ClassHooks> withApiHooks(List<Hooks.ClassHooks> byName, Set<String> inherits) {
        List<Hooks.ClassHooks> all = new ArrayList<>(byName);
        for (ApiHooks a : apiHooks) {
            if (!Collections.disjoint(a.types(), inherits)) {
                all.add(a.hooks());
            }
        }
        return all;
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
     * class files and remembered per loader.
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
        ClassReader reader = classFile(loader, type);
        if (reader != null) {
            result.addAll(inheritedFrom(loader, directSupertypes(reader), visiting));
        }
        Set<String> frozen = Set.copyOf(result);
        known.put(type, frozen);
        return frozen;
    }

    private static List<String> directSupertypes(ClassReader reader) {
        List<String> supertypes = new ArrayList<>(List.of(reader.getInterfaces()));
        if (reader.getSuperName() != null) {
            supertypes.add(reader.getSuperName());
        }
        return supertypes;
    }

    private static ClassReader classFile(ClassLoader loader, String type) {
        try (InputStream in = loader.getResourceAsStream(type + ".class")) {
            return in == null ? null : new ClassReader(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String internal(String binaryName) {
        return binaryName.replace('.', '/');
    }
}
