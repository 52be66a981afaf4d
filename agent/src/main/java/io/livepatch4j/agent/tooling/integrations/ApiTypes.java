package io.livepatch4j.agent.tooling.integrations;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Byte Buddy's matchers for integrations that must find the implementations of an API's interfaces
 * (every Servlet and Filter of an application), as OpenTelemetry's agent does: a walk of the class's
 * supertypes, which Byte Buddy reads from class files. A supertype that cannot be read (an optional
 * dependency absent) means "no". Byte Buddy sees a class only after the {@link TypeGate} admitted it:
 * the gate makes the class-loader check (is the API there at all) and a cheaper walk of its own.
 */
final class ApiTypes {

    private ApiTypes() {}

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
