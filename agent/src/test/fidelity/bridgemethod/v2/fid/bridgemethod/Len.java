package fid.bridgemethod;
import java.util.Comparator;
public class Len implements Comparator<String> { public int compare(String a, String b) { return b.length() - a.length(); } }
