package fid.raself;
public interface I { default int bound() { return 5; } }
