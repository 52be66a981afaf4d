package fid.recordmethod;
public record Range(int lo, int hi) { public int size() { return hi - lo; } }
