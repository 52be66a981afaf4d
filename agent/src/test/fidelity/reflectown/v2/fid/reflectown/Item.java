package fid.reflectown;
public class Item { private String secret = "s"; private String hid() { return "h"; }
  public String peek() throws Exception { return Item.class.getDeclaredField("secret").get(this) + ":" + Item.class.getDeclaredMethod("hid").invoke(this); }
  public String other() throws Exception { String r = (String) Other.class.getDeclaredField("pkg").get(null);
    try { Other.class.getDeclaredField("priv").get(null); r += ":privok"; } catch (IllegalAccessException e) { r += ":IAE"; } return r; } }
