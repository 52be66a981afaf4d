import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
/** java Runner PROBE_CLASS [PATCH]: setup(), apply PATCH if given (LOCAL), observe(). */
public class Runner {
    static Class<?> c(String n) throws Exception { return Class.forName("io.livepatch4j.agent.tooling." + n, true, ClassLoader.getSystemClassLoader()); }
    public static void main(String[] a) throws Exception {
        Class<?> probe = Class.forName(a[0]);
        probe.getMethod("setup").invoke(null);
        if (a.length > 1) {
            Object local = c("Strategy").getField(System.getProperty("strategy", "LOCAL")).get(null);
            try {
                c("LivePatch").getMethod("apply", Path.class, c("Strategy")).invoke(null, Path.of(a[1]), local);
                c("LivePatch").getMethod("awaitTransition", Duration.class).invoke(null, Duration.ofSeconds(10));
            } catch (java.lang.reflect.InvocationTargetException e) { System.out.println("apply failed: " + e.getCause()); }
        }
        System.out.print(probe.getMethod("observe").invoke(null));
    }
}
