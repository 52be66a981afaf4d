package fid.suidadded;
public class Money implements java.io.Serializable {
    private final int cents;
    private Money(int cents) { this.cents = cents; }
    public static Money of(int cents) { return new Money(cents); }
    public int half() { return cents / 2; }
}
