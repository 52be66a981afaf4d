package fid.anonswitchname; public enum Kind { A, B, C }
