package fid.fieldtype;
public class Cache { private long size; public long grow() { return size += 2; } }
