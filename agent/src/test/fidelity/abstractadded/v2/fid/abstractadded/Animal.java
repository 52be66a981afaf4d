package fid.abstractadded;
public abstract class Animal { public String speak() { return sound() + "!"; } protected abstract String sound(); }
