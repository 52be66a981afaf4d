package fid.addedref; public interface Greeter { default String greet() { return "hello"; } }
