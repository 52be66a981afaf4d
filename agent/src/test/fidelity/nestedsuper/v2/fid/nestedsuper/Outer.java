package fid.nestedsuper;
public class Outer {
    public static class Base { public String describe() { return "base"; } }
    public static class Child extends Base {
        @Override public String describe() {
            java.util.function.Supplier<String> s = () -> "child of " + super.describe();
            return s.get();
        }
    }
    public static class UserRepo extends fid.nestedsuper.base.Repo {
        public String user(String id) { return "user " + load(id); }
    }
}
