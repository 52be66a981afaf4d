package fid.privatefieldremoved;
public class Box { public String get(String k) { return "n-" + k; } }
