package fid.recordcompact;
public record Range(int lo, int hi) {
    public Range { if (lo < 0) throw new IllegalArgumentException("lo"); }
}
