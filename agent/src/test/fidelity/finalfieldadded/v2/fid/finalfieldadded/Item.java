package fid.finalfieldadded;
public class Item { private final int weight = Integer.parseInt("3"); public String show() { return "item/" + weight; } }
