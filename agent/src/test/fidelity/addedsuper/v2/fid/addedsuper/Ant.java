package fid.addedsuper;
class Ant extends Zebra { String hi() { return "ant<" + super.hi(); } }
