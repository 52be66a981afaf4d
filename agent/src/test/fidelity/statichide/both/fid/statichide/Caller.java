package fid.statichide;
public class Caller { public static String call() { return Sub.name(); } }
