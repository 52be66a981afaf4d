package fid.fieldhideiface; public class User { public static String read() { return Impl.NAME; } }
