package fid.removedabstract;
public class Sub extends Base { int max() { return 8; } }
