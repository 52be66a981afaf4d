package fid.fieldinithelper;
public class Item { final String label = makeLabel(); private static String makeLabel() { return "v2"; } }
