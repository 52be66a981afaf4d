package fid.switchanon; public enum Kind { A, B, C }
