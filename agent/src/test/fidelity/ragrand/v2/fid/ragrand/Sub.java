package fid.ragrand;
public class Sub extends Base { int max() { return 8; } }
