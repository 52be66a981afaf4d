package fid.removedabstract;
public class Sub extends Base { int bound() { return 7; } }
