package fid.annoclass;
@Secret("vault")
public class Vault { public String open() { return "open v2"; } }
