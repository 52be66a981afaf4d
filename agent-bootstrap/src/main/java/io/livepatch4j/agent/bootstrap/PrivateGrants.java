package io.livepatch4j.agent.bootstrap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes whose private members a class of patched code may reach through
 * {@link Dispatch#privateMember} beyond its host's nest: those the agent granted it, each one a
 * class the patch changes or adds, as the rewrite's rule allowed (PrivateAccess, issue 14 item 9).
 * Kept with the calling class (a ClassValue), so a retired implementation class takes its grants
 * with it when it is collected.
 */
final class PrivateGrants {

    private static final ClassValue<Set<Class<?>>> GRANTED = new ClassValue<>() {
        @Override
        protected Set<Class<?>> computeValue(Class<?> caller) {
            return ConcurrentHashMap.newKeySet();
        }
    };

    private PrivateGrants() {}

    static void grant(Class<?> caller, Class<?> owner) {
        GRANTED.get(caller).add(owner);
    }

    /** Whether code of {@code caller} may use private members of {@code owner}: its host's nest, or a grant. */
    static boolean allows(Class<?> caller, Class<?> owner) {
        return ImplHosts.of(caller).getNestHost() == owner.getNestHost() || GRANTED.get(caller).contains(owner);
    }
}
