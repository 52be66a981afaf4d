package fid.finalfieldadded;
public class Item { public String show() { return "item"; } }
