package fid.abstractadded;
public class Cat extends Animal { }
