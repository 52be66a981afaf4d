package fid.ctoradded;
public class Maker { static String make() { P p = new P("m", 5); return "maker " + p.name() + " " + p.x(); } }
