package fid.privatefieldremoved;
public class Box {
    private String cache;
    public String get(String k) { if (cache == null) cache = "c-" + k; return cache; }
}
