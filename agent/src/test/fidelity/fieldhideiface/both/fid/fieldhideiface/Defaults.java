package fid.fieldhideiface; public interface Defaults { String NAME = String.valueOf("iface"); }
