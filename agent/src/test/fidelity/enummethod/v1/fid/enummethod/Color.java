package fid.enummethod;
public enum Color {
    RED, GREEN, BLUE;
    public String label() { return "v1-" + name().toLowerCase(); }
    public int warmth() { switch (this) { case RED: return 10; case GREEN: return 5; default: return 1; } }
}
