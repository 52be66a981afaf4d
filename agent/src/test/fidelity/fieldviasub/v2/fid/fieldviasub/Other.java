package fid.fieldviasub;
public class Other { public static String bump(Kid k) { k.hits += 100; return "hits=" + k.hits; } }
