package fid.addedvirtual;
public interface Kind { default String kind() { return "k+" + extra(); } default String extra() { return "x"; } }
