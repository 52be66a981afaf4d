package fid.enumabstract;
public class A { static String name(Op o) { switch (o) { case TIMES: return "t"; case MINUS: return "M"; case PLUS: return "p"; default: return "?"; } } }
