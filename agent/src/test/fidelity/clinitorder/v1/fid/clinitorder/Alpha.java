package fid.clinitorder;
public class Alpha { public static String title() { return "untitled"; } }
