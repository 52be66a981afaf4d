package fid.patswitch; public enum Kind { A, B, C }
