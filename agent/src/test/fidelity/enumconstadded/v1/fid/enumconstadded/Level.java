package fid.enumconstadded;
public enum Level { LOW, HIGH; public String low() { return name().toLowerCase(); } }
