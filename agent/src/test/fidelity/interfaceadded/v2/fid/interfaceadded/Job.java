package fid.interfaceadded;
public class Job implements java.io.Serializable { public String run() { return "ran2"; } }
