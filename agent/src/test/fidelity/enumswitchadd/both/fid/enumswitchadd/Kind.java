package fid.enumswitchadd;
public enum Kind { A, B, C }
