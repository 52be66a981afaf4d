package fid.lookupmodes;
import java.lang.invoke.*;
public class Where {
    public static String modes() { return "v2 " + MethodHandles.lookup().lookupModes(); }
    public static String text() { return "v2 " + MethodHandles.lookup(); }
    public static String forName() throws Throwable {
        MethodHandle h = MethodHandles.lookup().findStatic(Class.class, "forName", MethodType.methodType(Class.class, String.class));
        return "v2 " + ((Class<?>) h.invoke("fid.lookupmodes.Probe")).getSimpleName();
    }
}
