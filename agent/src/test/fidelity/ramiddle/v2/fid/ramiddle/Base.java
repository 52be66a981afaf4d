package fid.ramiddle;
public abstract class Base extends GP { int bound() { return 5; } }
