package fid.ramiddle;
public class Sub extends Base { int bound() { return 7; } }
