package io.livepatch4j.bench.load;

/**
 * One request as the load saw it.
 *
 * @param intendedNanos when the fixed-rate schedule said to send it ({@code System.nanoTime()})
 * @param latencyNanos  from the intended send time to the complete response, or -1 if it failed:
 *                      measured from the schedule, not from the actual send, so a stall in the
 *                      server (or the driver) cannot hide behind requests that were never sent
 * @param version       "V1", "V2", "MIXED" or "UNKNOWN", from the response's version stamps
 * @param generation    the X-Code-Generation header, or -1
 * @param failure       why it failed, or null
 */
public record Sample(RequestKind kind, long intendedNanos, long latencyNanos, int status, String version,
                     long generation, String failure) {

    public boolean failed() {
        return failure != null || !kind.expected(status);
    }

    public boolean mixed() {
        return "MIXED".equals(version);
    }
}
