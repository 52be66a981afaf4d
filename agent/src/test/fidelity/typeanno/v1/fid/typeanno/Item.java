package fid.typeanno;
import java.util.List;
public class Item { public List<@Tag("a") String> names; public @Tag("a") String name() { return "n"; } }
