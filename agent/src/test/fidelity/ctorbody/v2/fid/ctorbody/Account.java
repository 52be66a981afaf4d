package fid.ctorbody;
public class Account {
    private final String id;
    private int balance;
    public Account(String id) { super(); this.id = id.toUpperCase(); this.balance = 100; }
    public String show() { return id + "=" + balance; }
}
