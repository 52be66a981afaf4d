package fid.fieldtype;
public class Cache { private long size; public Cache() { } public Cache(int s) { size = s; } public long grow() { return size += 2; } }
