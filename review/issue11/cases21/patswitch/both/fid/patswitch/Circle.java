package fid.patswitch; public record Circle(int r) implements Shape {}
