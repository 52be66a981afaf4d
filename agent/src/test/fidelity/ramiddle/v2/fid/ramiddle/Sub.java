package fid.ramiddle;
public class Sub extends Base { }
