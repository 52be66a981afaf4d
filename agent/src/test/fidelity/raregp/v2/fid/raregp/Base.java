package fid.raregp;
public abstract class Base extends GP { }
