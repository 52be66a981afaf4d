package fid.fieldviasub;
public class Base { }
