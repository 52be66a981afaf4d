package fid.sigonly;
import java.util.*;
public class Holder { public Map<String, Long> counts = new HashMap<>(); }
