package io.livepatch4j.it.child;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs with the real agent jar (-javaagent) and only the test classes on its class path: prints
 * which of the agent's classes the application's class loader can load ("VISIBLE name"), then
 * "DONE". The bootstrap runtime must be visible (prologues in every loader call it); nothing else of
 * the agent may be.
 */
public final class IsolationProbe {

    private IsolationProbe() {}

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>(List.of(args));
        ClassLoader app = ClassLoader.getSystemClassLoader();
        for (String name : names) {
            try {
                Class.forName(name, false, app);
                System.out.println("VISIBLE " + name);
            } catch (ClassNotFoundException e) {
                System.out.println("HIDDEN " + name);
            }
        }
        System.out.println("AGENT " + System.getProperty("livepatch4j.agent.version"));
        System.out.println("DONE");
    }
}
