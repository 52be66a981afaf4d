package fid.suidinherited; public class Base implements java.io.Serializable { }
