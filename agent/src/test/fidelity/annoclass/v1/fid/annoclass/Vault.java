package fid.annoclass;
public class Vault { public String open() { return "open v1"; } }
