package fid.raconcrete;
public class Sub extends Base { }
