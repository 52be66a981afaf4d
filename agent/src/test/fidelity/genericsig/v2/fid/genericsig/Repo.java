package fid.genericsig;
import java.util.*;
public class Repo { public List<CharSequence> items = new ArrayList<>(); public List<CharSequence> all() { return List.of("a", "b"); } }
