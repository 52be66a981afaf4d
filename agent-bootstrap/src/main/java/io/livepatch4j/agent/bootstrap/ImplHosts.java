package io.livepatch4j.agent.bootstrap;

/**
 * The host class of the code that links a call: an implementation class ({@code Host$$Lp4j/0x...},
 * a hidden nestmate of its host) stands for its host. Its nest host is not its host where the host is
 * a nested class (the nest host of {@code Outer$Sub} is {@code Outer}), and the host is what a
 * {@code super} call or a protected member must be reached through.
 */
final class ImplHosts {

    /** As ImplNames.implClass (patch-core) names an implementation class; the JVM appends /0x... to a hidden one. */
    private static final String IMPL_SUFFIX = "$$Lp4j";

    private static final ClassValue<Class<?>> HOSTS = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> caller) {
            String name = caller.getName();
            int suffix = caller.isHidden() ? name.lastIndexOf(IMPL_SUFFIX + "/") : -1;
            if (suffix < 0) {
                return caller.getNestHost();
            }
            try {
                return Class.forName(name.substring(0, suffix), false, caller.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("livepatch4j: the host of implementation class " + name
                    + " is not loaded by its loader; please report this", e);
            }
        }
    };

    private ImplHosts() {}

    /** The class whose code {@code caller} runs: its host for an implementation class, else its nest host. */
    static Class<?> of(Class<?> caller) {
        return HOSTS.get(caller);
    }
}
