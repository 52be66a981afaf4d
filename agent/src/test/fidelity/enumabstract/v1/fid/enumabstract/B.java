package fid.enumabstract;
public class B { static String both(Op o, String s) {
  String r; switch (o) { case PLUS: r = "+"; break; default: r = "."; }
  switch (s) { case "one": return r + 1; case "two": return r + 2; default: return r; } } }
