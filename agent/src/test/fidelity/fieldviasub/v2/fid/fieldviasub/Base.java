package fid.fieldviasub;
public class Base { public int hits; }
