package fid.sigonly;
import java.util.*;
public class Holder { public Map<String, Integer> counts = new HashMap<>(); }
