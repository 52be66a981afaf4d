package fid.lookupmodes;
import java.lang.invoke.*;
public class Where {
    public static String modes() { return "v1 " + MethodHandles.lookup().lookupModes(); }
    public static String text() { return "v1 " + MethodHandles.lookup(); }
    public static String forName() throws Throwable {
        MethodHandle h = MethodHandles.lookup().findStatic(Class.class, "forName", MethodType.methodType(Class.class, String.class));
        return "v1 " + ((Class<?>) h.invoke("fid.lookupmodes.Probe")).getSimpleName();
    }
}
