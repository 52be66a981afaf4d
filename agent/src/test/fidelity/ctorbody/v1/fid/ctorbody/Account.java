package fid.ctorbody;
public class Account {
    private final String id;
    private int balance;
    public Account(String id) { super(); this.id = id; this.balance = 10; }
    public String show() { return id + "=" + balance; }
}
