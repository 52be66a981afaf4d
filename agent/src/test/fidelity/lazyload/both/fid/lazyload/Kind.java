package fid.lazyload; public enum Kind { A, B, C }
