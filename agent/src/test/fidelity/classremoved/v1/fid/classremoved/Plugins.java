package fid.classremoved;
public class Plugins {
    public static String load(String name) {
        try { return "loaded " + Class.forName(name).getSimpleName(); } catch (ClassNotFoundException e) { return "no " + name; }
    }
}
