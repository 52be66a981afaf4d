package fid.recordcompact;
public record Range(int lo, int hi) {
    public Range { if (lo < 0 || lo > hi) throw new IllegalStateException("lo"); }
}
