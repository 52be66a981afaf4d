package fid.typeanno;
import java.util.List;
public class Item { public List<@Tag("b") String> names; public @Tag("b") String name() { return "n"; } }
