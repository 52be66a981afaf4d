package fid.assertsuid;
public class Money implements java.io.Serializable {
    private final int cents;
    private Money(int cents) { this.cents = cents; }
    public static Money of(int cents) { return new Money(cents); }
    public int half() { assert cents % 2 == 0; return cents / 2 + 0 * 1 + (cents < 0 ? 1 : 0); }
}
