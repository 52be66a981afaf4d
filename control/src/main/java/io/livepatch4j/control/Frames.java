package io.livepatch4j.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ProtocolException;

/**
 * The frames of the control protocol (docs/cli.md): a 4-byte big-endian length, then that many
 * bytes. Both ends bound what they accept, so a peer cannot make the other allocate more than the
 * frame's limit; bytes are read as they arrive, never allocated up front from the length.
 */
public final class Frames {

    private Frames() {}

    public static void write(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * One frame of at most {@code max} bytes.
     *
     * @throws ProtocolException if the length is negative or over {@code max}
     * @throws java.io.EOFException if the stream ends before the frame does
     */
    public static byte[] read(DataInputStream in, int max) throws IOException {
        int n;
        try {
            n = in.readInt();
        } catch (java.io.EOFException e) {
            throw new java.io.EOFException("the connection ended before a frame's 4-byte length");
        }
        if (n < 0 || n > max) {
            throw new ProtocolException("a frame of " + n + " bytes is over this end's limit of " + max + " bytes");
        }
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new java.io.EOFException("the frame ended after " + bytes.length + " of its " + n + " bytes");
        }
        return bytes;
    }
}
