package fid.radefault;
public class Sub extends Base { public int bound() { return 7; } }
