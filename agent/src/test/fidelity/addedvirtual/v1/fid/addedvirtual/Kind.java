package fid.addedvirtual;
public interface Kind { default String kind() { return "k"; } }
