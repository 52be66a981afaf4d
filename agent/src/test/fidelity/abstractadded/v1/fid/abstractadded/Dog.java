package fid.abstractadded;
public class Dog extends Animal { }
