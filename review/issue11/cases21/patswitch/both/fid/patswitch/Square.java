package fid.patswitch; public record Square(int side) implements Shape {}
