package fid.raconcrete;
public class Sub extends Base { int bound() { return 7; } }
