package fid.assertenum;
public enum Mode { A, B; public int half(int x) { assert x % 2 == 0 : "odd"; return x / 2 + ordinal() + ("v2".equals("v2") ? 100 : 0); } }
