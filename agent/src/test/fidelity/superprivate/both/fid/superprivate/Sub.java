package fid.superprivate;
public class Sub extends Base { public String tag() { return "sub"; } }
