package fid.addedsuper;
class Zebra { String hi() { return "zebra"; } }
