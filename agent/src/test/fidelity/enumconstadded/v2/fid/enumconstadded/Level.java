package fid.enumconstadded;
public enum Level { LOW, HIGH, CRITICAL; public String low() { return name().toLowerCase(); } }
