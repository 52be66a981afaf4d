package fid.supercall;
public class Child extends Base { @Override public String describe() { return "child of " + super.describe(); } }
