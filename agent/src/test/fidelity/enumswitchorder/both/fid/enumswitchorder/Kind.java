package fid.enumswitchorder;
public enum Kind { A, B, C }
