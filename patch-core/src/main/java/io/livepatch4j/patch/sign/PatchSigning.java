package io.livepatch4j.patch.sign;

import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.PatchSignature;
import io.livepatch4j.patch.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Ed25519 signatures over a patch's patch.json (which holds the SHA-256 of every class in the
 * patch, so the signature covers them all), with the JDK's own provider. Keys are PEM files:
 * {@code lp4j-signing.key} (PKCS#8, private, mode 600) and {@code lp4j-signing.pub} (X.509).
 */
public final class PatchSigning {

    public static final String ALGORITHM = "Ed25519";
    public static final String PRIVATE_KEY_FILE = "lp4j-signing.key";
    public static final String PUBLIC_KEY_FILE = "lp4j-signing.pub";

    private PatchSigning() {}

    /** Creates a key pair in {@code dir}; refuses to overwrite an existing one. Returns the public key file. */
    public static Path generate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        // A folder another user may write lets them replace the public key later, and with it the
        // trust of every JVM given it.
        String why = io.livepatch4j.patch.TrustedPaths.whyUntrusted(dir);
        if (why != null) {
            throw new IOException("refusing to write keys to " + dir + ": " + why + ", so another user could replace "
                + "them; choose a directory only you or root can write");
        }
        Path priv = dir.resolve(PRIVATE_KEY_FILE);
        Path pub = dir.resolve(PUBLIC_KEY_FILE);
        if (Files.exists(priv) || Files.exists(pub)) {
            throw new IOException(dir + " already holds a livepatch4j key pair; choose another directory "
                + "or remove " + priv + " and " + pub + " first");
        }
        KeyPair kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        // The private key is created readable by its owner only, from the first byte, and never through
        // a link another user planted: CREATE_NEW is O_EXCL, which refuses any existing name, a dangling
        // symbolic link included.
        createNew(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), "rw-------");
        createNew(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()), "rw-r--r--");
        return pub;
    }

    private static void createNew(Path file, String text, String permissions) throws IOException {
        java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.SeekableByteChannel out;
        try {
            out = Files.newByteChannel(file, options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        } catch (UnsupportedOperationException e) {
            out = Files.newByteChannel(file, options); // not a POSIX file system: its own access rules apply
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException(file + " exists (a file, or a link, perhaps dangling); lp4j keygen never writes "
                + "through an existing name: remove it, or choose another directory", e);
        }
        try (java.nio.channels.SeekableByteChannel channel = out) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    public static Patch sign(Patch patch, PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        Signature s = Signature.getInstance(ALGORITHM);
        s.initSign(key);
        s.update(PatchFormat.manifestBytes(patch));
        return patch.withSignature(new PatchSignature(ALGORITHM, keyId(publicKey), s.sign()));
    }

    /**
     * Signs with a key pair read from files as 'lp4j keygen' writes them, and checks that the public key
     * belongs to the private one (a patch signed with a mismatched pair would be refused by every agent).
     */
    public static Patch signWithKeyFiles(Patch patch, Path privateKey, Path publicKey)
        throws IOException, GeneralSecurityException, PatchException {
        PrivateKey priv = readPrivateKey(privateKey); // first: the file the user named, whose errors matter most
        PublicKey pub = readPublicKey(publicKey);
        Patch signed = sign(patch, priv, pub);
        verify(signed, List.of(pub));
        return signed;
    }

    /**
     * Checks that the patch is signed by one of {@code trusted}. Throws a refusal that says whether
     * the patch is unsigned, signed by a key the JVM does not trust, or carries a bad signature.
     */
    public static void verify(Patch patch, List<PublicKey> trusted) throws PatchException {
        verify("patch " + patch.id(), PatchFormat.manifestBytes(patch), patch.signature(), trusted);
    }

    /**
     * The same check on the raw bytes of a patch.json and its signature, as a patch file holds them:
     * what {@link PatchFormat#read(byte[], String, List)} runs before it inflates anything else.
     * {@code what} names the patch in the refusal ("patch fix-42", "patch file fix-42.lp4j").
     */
    public static void verify(String what, byte[] manifest, PatchSignature sig, List<PublicKey> trusted)
        throws PatchException {
        if (sig == null) {
            throw new PatchException(what + " is unsigned, and this JVM's agent only accepts "
                + "patches signed with its trusted keys: sign it with 'lp4j sign PATCH --key KEY'");
        }
        if (!ALGORITHM.equals(sig.algorithm())) {
            throw new PatchException(what + " is signed with " + sig.algorithm()
                + "; livepatch4j accepts Ed25519 signatures only: sign it again with 'lp4j sign'");
        }
        for (PublicKey key : trusted) {
            if (keyId(key).equals(sig.keyId())) {
                try {
                    Signature s = Signature.getInstance(ALGORITHM);
                    s.initVerify(key);
                    s.update(manifest);
                    if (s.verify(sig.signature())) {
                        return;
                    }
                } catch (GeneralSecurityException e) {
                    throw new PatchException(what + ": its signature could not be checked ("
                        + e.getMessage() + ")", e);
                }
                throw new PatchException(what + " has a signature by trusted key "
                    + Sha256.shortHex(sig.keyId()) + "… that does not match its contents: it was changed after "
                    + "signing; rebuild and sign it again");
            }
        }
        throw new PatchException(what + " is signed by key " + Sha256.shortHex(sig.keyId())
            + "…, which this JVM's agent does not trust: sign it with a trusted key, or add the key's .pub "
            + "file to the agent's trustedKeys");
    }

    /** The SHA-256 of the key's X.509 encoding: how a signature names its key. */
    public static String keyId(PublicKey key) {
        return Sha256.hex(key.getEncoded());
    }

    /**
     * Reads a private key that no other user can read or change: as ssh does, a key file with any
     * permission for its group or others is refused (whoever could read it can sign patches that
     * every agent trusting its .pub applies).
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String exposed = exposedToOthers(file);
        if (exposed != null) {
            throw new IOException("private key " + file + " is " + exposed + ": chmod 600 " + file + " (and if"
                + " another user may have read it, make a new pair with 'lp4j keygen' and trust its .pub instead)");
        }
        return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
    }

    /** How the file's permissions let its group or other users at it ("readable by other users (mode 644)"), or null. */
    private static String exposedToOthers(Path file) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null; // no POSIX permissions on this file system: nothing to check
        }
        int mode = 0;
        for (java.nio.file.attribute.PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        if ((mode & 0077) == 0) {
            return null;
        }
        String what = (mode & 0022) != 0 ? "writable" : (mode & 0044) != 0 ? "readable" : "open";
        return what + " by other users (mode " + Integer.toOctalString(mode) + ")";
    }

    public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
    }

    /** A .pub file, or every .pub file in a directory. */
    public static List<PublicKey> readTrustedKeys(Path fileOrDir) throws IOException, GeneralSecurityException {
        List<PublicKey> keys = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            trusted(fileOrDir);
            try (Stream<Path> files = Files.list(fileOrDir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".pub")).sorted().toList()) {
                    keys.add(readPublicKey(trusted(p)));
                }
            }
        } else {
            keys.add(readPublicKey(trusted(fileOrDir)));
        }
        if (keys.isEmpty()) {
            throw new IOException(fileOrDir + " holds no .pub key files");
        }
        return keys;
    }

    /**
     * A trusted key decides which patches a JVM takes, so one that another user could have put
     * there or changed is refused (docs/security.md).
     */
    private static Path trusted(Path p) throws IOException {
        String why = io.livepatch4j.patch.TrustedPaths.whyUntrusted(p);
        if (why != null) {
            throw new IOException("trusted key " + p + " is refused: " + why + ", so another user could have changed it; "
                + "keep trusted keys where only this user or root can write");
        }
        return p;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String text = Files.readString(file);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IOException(file + " is not a PEM " + type.toLowerCase() + " file (expected '" + begin
                + "'); create keys with 'lp4j keygen'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + " holds a malformed " + type.toLowerCase() + " (" + ex.getMessage() + ")", ex);
        }
    }
}
