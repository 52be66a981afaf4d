package fid.reflectown;
public class Item { private String secret = "s"; private String hid() { return "h"; }
  public String peek() throws Exception { return "v1"; } public String other() throws Exception { return "v1"; } }
