package fid.rabridge;
public class Sub extends Base<String> { String max() { return "eight"; } }
