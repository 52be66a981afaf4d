package fid.protectedbase;
import fid.protectedbase.base.Repo;
public class UserRepo extends Repo { public String user(String id) { return "user " + id; } }
