package fid.framenames;
public class Where {
    public static String here() { StackTraceElement e = new Throwable().getStackTrace()[0]; return "v1 " + e.getClassName() + "." + e.getMethodName(); }
    public static String line() { StackTraceElement e = new Throwable().getStackTrace()[0]; return "v1 line " + e.getLineNumber() + " " + e.getFileName(); }
    public static String lookupClass() { return "v1 " + (java.lang.invoke.MethodHandles.lookup().lookupClass() == Where.class) + " hidden=" + java.lang.invoke.MethodHandles.lookup().lookupClass().isHidden(); }
    public static String walker() { return "v1 " + StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(s -> s.findFirst()).get().getDeclaringClass().getName(); }
    public static String depth() { return "v1 " + inner(); }
    static String inner() { StackTraceElement[] st = new Throwable().getStackTrace(); return st[0].getMethodName() + "<" + st[1].getClassName() + "." + st[1].getMethodName(); }
}
