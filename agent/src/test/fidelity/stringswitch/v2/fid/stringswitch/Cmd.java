package fid.stringswitch;
public class Cmd {
    public static String run(String c) {
        return switch (c) { case "start", "go" -> "starting"; case "stop" -> "stopped"; case "pause" -> "pausing"; default -> "unknown " + c; };
    }
}
