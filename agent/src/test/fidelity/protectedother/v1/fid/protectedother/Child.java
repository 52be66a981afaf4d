package fid.protectedother;
public class Child extends fid.protectedother.base.Base { public String combine(Child o) { return "v1"; } }
