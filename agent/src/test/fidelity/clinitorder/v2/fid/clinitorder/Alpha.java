package fid.clinitorder;
public class Alpha { static final String TITLE = Zeta.fmt("alpha"); public static String title() { return TITLE; } }
