package fid.classremoved; public class Legacy { }
