package fid.enumabstract;
public class A { static String name(Op o) { switch (o) { case PLUS: return "p"; case MINUS: return "m"; default: return "?"; } } }
