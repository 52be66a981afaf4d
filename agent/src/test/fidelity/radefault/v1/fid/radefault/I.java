package fid.radefault;
public interface I { default int bound() { return 5; } default int size() { return bound(); } }
