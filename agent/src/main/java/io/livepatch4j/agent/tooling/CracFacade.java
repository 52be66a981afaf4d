package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.crac.Core;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Points the {@code org.crac} facade at the agent's CRaC implementation
 * ({@link io.livepatch4j.agent.bootstrap.crac}) through the facade's own switch, the system property
 * {@value Core#FACADE_PROPERTY}, so that applications written for CRaC get their Resources notified
 * by {@code lp4j checkpoint} on a stock JDK. Left alone when the property is set already (the
 * operator's choice) and on a JDK with CRaC (module jdk.crac: it checkpoints by itself).
 *
 * <p>The facade reads the property once, as its class initializes: a facade initialized before the
 * agent was loaded (attach mode) has dropped its Resources, and {@link #warnings} says so at each
 * checkpoint.
 */
final class CracFacade {

    static final String IMPLEMENTATION = Core.class.getPackageName();
    private static volatile Instrumentation instrumentation;

    private CracFacade() {}

    static void install(Instrumentation inst) {
        instrumentation = inst;
        if (System.getProperty(Core.FACADE_PROPERTY) != null || ModuleLayer.boot().findModule("jdk.crac").isPresent()) {
            return;
        }
        System.setProperty(Core.FACADE_PROPERTY, IMPLEMENTATION);
    }

    /** One line per loaded org.crac facade whose Resources the agent does not see. */
    static List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        Instrumentation inst = instrumentation;
        if (inst == null) {
            return warnings;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.getName().equals("org.crac.Core")) {
                continue;
            }
            String where = "the org.crac library in " + c.getClassLoader();
            try {
                Field f = c.getDeclaredField("compat");
                f.setAccessible(true);
                Object compat = f.get(null);
                if (compat == null) {
                    warnings.add(IMPLEMENTATION.equals(System.getProperty(Core.FACADE_PROPERTY))
                        ? where + " was set up before the agent was loaded: its Resources are not notified; start the "
                            + "JVM with -javaagent for them to be"
                        : where + " found no CRaC implementation (" + Core.FACADE_PROPERTY + "="
                            + System.getProperty(Core.FACADE_PROPERTY) + "): its Resources are not notified");
                    continue;
                }
                Field global = compat.getClass().getDeclaredField("globalContext");
                global.setAccessible(true);
                if (global.get(compat) != Core.getGlobalContext()) {
                    warnings.add(where + " uses another CRaC implementation (" + System.getProperty(Core.FACADE_PROPERTY)
                        + "): its Resources are not notified by lp4j checkpoint");
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                warnings.add(where + " could not be inspected (" + e + "): its Resources may not be notified");
            }
        }
        return warnings;
    }
}
