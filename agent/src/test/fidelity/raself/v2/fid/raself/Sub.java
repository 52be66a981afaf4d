package fid.raself;
public class Sub extends Base implements I { }
