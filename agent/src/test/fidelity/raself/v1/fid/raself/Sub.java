package fid.raself;
public class Sub extends Base implements I { public int bound() { return 7; } }
