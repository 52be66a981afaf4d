package fid.fieldhideiface; public class Impl implements Defaults { public static String touch() { return "v1"; } }
