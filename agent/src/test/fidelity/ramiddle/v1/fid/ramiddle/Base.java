package fid.ramiddle;
public abstract class Base extends GP { }
