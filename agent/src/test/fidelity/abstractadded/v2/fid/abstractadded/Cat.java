package fid.abstractadded;
public class Cat extends Animal { protected String sound() { return "meow"; } }
