package st;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
public class Main {
    static Class<?> c(String n) throws Exception { return Class.forName("io.livepatch4j.agent.tooling." + n, true, ClassLoader.getSystemClassLoader()); }
    static Object LOCAL() throws Exception { return c("Strategy").getField("LOCAL").get(null); }
    static void apply(String p) {
        try {
            Object r = c("LivePatch").getMethod("apply", Path.class, c("Strategy")).invoke(null, Path.of(p), LOCAL());
            c("LivePatch").getMethod("awaitTransition", Duration.class).invoke(null, Duration.ofSeconds(10));
            System.out.println("apply " + p + ": " + r);
        } catch (Throwable e) { while (e.getCause() != null) e = e.getCause(); System.out.println("apply " + p + " FAILED: " + e); }
    }
    static void rollback() {
        try {
            Object r = c("LivePatch").getMethod("rollback", c("Strategy")).invoke(null, LOCAL());
            c("LivePatch").getMethod("awaitTransition", Duration.class).invoke(null, Duration.ofSeconds(10));
            System.out.println("rollback: " + r);
        } catch (Throwable e) { while (e.getCause() != null) e = e.getCause(); System.out.println("rollback FAILED: " + e); }
    }
    static Supplier<String> kept;
    static void observe(String when) {
        StringBuilder b = new StringBuilder(when + ":");
        for (Kind k : Kind.values()) b.append(' ').append(Router.route(k));
        for (Kind k : Kind.values()) b.append(" ").append(Router.inner(k));
        System.out.println(b);
    }
    public static void main(String[] a) {
        kept = Router.make();
        observe("start");
        for (String step : a) {
            if (step.equals("rollback")) rollback(); else apply(step);
            observe("after " + step);
        }
    }
}
