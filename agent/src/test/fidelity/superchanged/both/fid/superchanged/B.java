package fid.superchanged;
public class B { public String who() { return "B"; } }
