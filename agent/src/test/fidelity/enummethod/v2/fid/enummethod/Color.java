package fid.enummethod;
public enum Color {
    RED, GREEN, BLUE;
    public String label() { return "v2-" + name(); }
    public int warmth() { switch (this) { case RED: return 100; case GREEN: return 50; default: return 10; } }
}
