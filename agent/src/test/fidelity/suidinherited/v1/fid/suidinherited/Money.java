package fid.suidinherited;
public class Money extends Base {
    private final int cents;
    private Money(int cents) { this.cents = cents; }
    public static Money of(int cents) { return new Money(cents); }
    public int half() {  return cents / 2; }
}
