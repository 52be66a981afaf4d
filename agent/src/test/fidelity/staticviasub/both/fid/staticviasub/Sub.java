package fid.staticviasub;
public class Sub extends Base { }
