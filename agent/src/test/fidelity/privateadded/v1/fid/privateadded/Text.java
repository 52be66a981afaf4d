package fid.privateadded;
public class Text { public String shout(String s) { return s + "!"; } }
