package fid.interfaceadded;
public class Job { public String run() { return "ran"; } }
