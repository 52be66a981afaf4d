package fid.overridesub;
public class Animal { public String sound() { return "..."; } }
