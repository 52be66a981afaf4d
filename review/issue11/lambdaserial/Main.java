package fid.lambdaserialbody;
import java.io.*;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
/** Applies args[0], then serializes and deserializes a lambda made by the patched code; prints the full trace. */
public class Main {
    static Class<?> c(String n) throws Exception { return Class.forName("io.livepatch4j.agent.tooling." + n, true, ClassLoader.getSystemClassLoader()); }
    public static void main(String[] a) throws Exception {
        Supplier<String> kept = Outer.make();
        Object local = c("Strategy").getField("LOCAL").get(null);
        System.out.println(c("LivePatch").getMethod("apply", Path.class, c("Strategy")).invoke(null, Path.of(a[0]), local));
        c("LivePatch").getMethod("awaitTransition", Duration.class).invoke(null, Duration.ofSeconds(10));
        for (Supplier<String> s : java.util.List.of(kept, Outer.make())) {
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (ObjectOutputStream o = new ObjectOutputStream(b)) { o.writeObject(s); }
                System.out.println("serialized " + s.get() + " (" + s.getClass().getName() + ")");
                try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
                    System.out.println("round trip: " + ((Supplier<?>) i.readObject()).get());
                }
            } catch (Throwable e) { e.printStackTrace(System.out); }
        }
    }
}
