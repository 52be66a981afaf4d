package fid.ragrand;
public class Sub extends Base { int bound() { return 7; } }
