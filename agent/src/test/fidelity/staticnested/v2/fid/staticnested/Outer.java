package fid.staticnested;
public class Outer { public static class Node { public String id() { return "node-2"; } } }
