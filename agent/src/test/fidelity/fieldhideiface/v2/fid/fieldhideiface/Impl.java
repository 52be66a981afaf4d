package fid.fieldhideiface; public class Impl implements Defaults { static String NAME; public static String touch() { NAME = "impl"; return "v2"; } }
