package fid.raregp;
public class Sub extends Base { }
