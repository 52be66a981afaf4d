package fid.superchanged;
public class A { public String who() { return "A"; } }
