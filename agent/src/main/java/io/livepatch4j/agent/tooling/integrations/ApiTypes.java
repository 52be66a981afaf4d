package io.livepatch4j.agent.tooling.integrations;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Matchers for integrations that must find the implementations of an API's interfaces (every
 * Servlet and Filter of an application), as OpenTelemetry's agent does: first a class-loader check,
 * cached per loader, that the API is there at all, so in a JVM or a loader without it no class that
 * loads costs more than one map lookup; only then a walk of the class's supertypes, which Byte Buddy
 * reads from class files. A supertype that cannot be read (an optional dependency absent) means "no".
 */
final class ApiTypes {

    private ApiTypes() {}

    /** Loaders that can load {@code apiClass} (a binary name); the answer is kept per loader, weakly. */
    static ElementMatcher.Junction<ClassLoader> loaderHas(String apiClass) {
        String resource = apiClass.replace('.', '/') + ".class";
        Map<ClassLoader, Boolean> known = Collections.synchronizedMap(new WeakHashMap<>());
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(ClassLoader loader) {
                if (loader == null) {
                    return false; // the boot loader holds no application API
                }
                Boolean has = known.get(loader);
                if (has == null) {
                    has = loader.getResource(resource) != null;
                    known.put(loader, has);
                }
                return has;
            }
        };
    }

    /** Classes (not interfaces) that implement one of {@code interfaces}, directly or through a supertype. */
    static ElementMatcher.Junction<TypeDescription> implementing(String... interfaces) {
        Set<String> names = Set.of(interfaces);
        return not(isInterface()).and(not(nameStartsWith("java."))).and(new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                try {
                    return implementsAny(type, names);
                } catch (RuntimeException e) {
                    return false; // a supertype that cannot be read: not ours to instrument
                }
            }
        });
    }

    /** Concrete classes that extend {@code superclass} (a binary name), directly or through a supertype. */
    static ElementMatcher.Junction<TypeDescription> extending(String superclass) {
        return not(isInterface()).and(not(nameStartsWith("java."))).and(new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                try {
                    for (TypeDefinition t = type.getSuperClass(); t != null; t = t.getSuperClass()) {
                        if (t.asErasure().getName().equals(superclass)) {
                            return true;
                        }
                        if (t.getTypeName().startsWith("java.")) {
                            return false;
                        }
                    }
                    return false;
                } catch (RuntimeException e) {
                    return false; // a supertype that cannot be read: not ours to instrument
                }
            }
        });
    }

    private static boolean implementsAny(TypeDefinition type, Set<String> names) {
        for (TypeDefinition t = type; t != null && !t.getTypeName().startsWith("java."); t = t.getSuperClass()) {
            for (TypeDescription i : t.getInterfaces().asErasures()) {
                if (names.contains(i.getName()) || implementsAny(i, names)) {
                    return true;
                }
            }
        }
        return false;
    }
}
