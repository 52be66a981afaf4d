package fid.radefault;
public class Sub extends Base { }
