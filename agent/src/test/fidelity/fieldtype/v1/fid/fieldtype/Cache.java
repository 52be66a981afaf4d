package fid.fieldtype;
public class Cache { private int size; public long grow() { return ++size; } }
