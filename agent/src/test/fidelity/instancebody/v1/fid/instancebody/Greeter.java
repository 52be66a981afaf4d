package fid.instancebody;
public class Greeter { public String greet(String n) { return "hello " + n; } }
