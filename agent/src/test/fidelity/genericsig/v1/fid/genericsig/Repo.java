package fid.genericsig;
import java.util.*;
public class Repo { public List<String> items = new ArrayList<>(); public List<String> all() { return List.of("a"); } }
