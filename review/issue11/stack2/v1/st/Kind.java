package st; public enum Kind { A, B, C }
