package fid.stringswitch;
public class Cmd {
    public static String run(String c) {
        switch (c) { case "start": return "starting"; case "stop": return "stopping"; default: return "?"; }
    }
}
