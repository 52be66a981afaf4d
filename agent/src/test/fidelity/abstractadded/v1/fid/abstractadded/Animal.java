package fid.abstractadded;
public abstract class Animal { public String speak() { return "..."; } }
