package fid.raregp;
public class Sub extends Base { int bound() { return 7; } }
