package fid.abstractadded;
public class Dog extends Animal { protected String sound() { return "woof"; } }
