package fid.rabridge;
public class Sub extends Base<String> { String bound() { return "seven"; } }
