package fid.assertenum;
public enum Mode { A, B; public int half(int x) {  return x / 2 + ordinal() + ("v1".equals("v2") ? 100 : 0); } }
