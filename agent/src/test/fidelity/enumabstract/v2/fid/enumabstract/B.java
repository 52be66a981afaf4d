package fid.enumabstract;
public class B { static String both(Op o, String s) {
  String r; switch (o) { case MINUS: r = "-"; break; case PLUS: r = "+"; break; default: r = "."; }
  switch (s) { case "two": return r + "II"; case "one": return r + "I"; default: return r; } } }
