package fid.nestedsuper.base;
public class Repo { protected String load(String k) { return "v(" + k + ")"; } }
