package io.livepatch4j.demo;

import io.livepatch4j.demo.client.ReadyLine;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One build of the demo server running as a child process, as scripts run it: started with
 * {@code --port 0}, ready when it prints READY, stopped with SIGTERM. Uses only the JDK and the
 * client package, because the integration tests run with nothing else on their class path.
 */
final class DemoServerProcess implements AutoCloseable {

    static final String API_KEY = "test-api-key-0123456789";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final List<String> stdout;
    private final Path stderr;
    final int port;
    final long pid;
    final int keys;
    final String version;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private DemoServerProcess(Process process, List<String> stdout, Path stderr, ReadyLine ready) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = ready.port();
        this.pid = ready.pid();
        this.keys = ready.keys();
        this.version = ready.version();
    }

    /** Starts build {@code version} ("v1" or "v2") from its classes directory (surefire phase). */
    static DemoServerProcess fromClasses(String version, String... args) throws IOException {
        String classes = requiredProperty("demo.classes." + version);
        String classPath = classes + java.io.File.pathSeparator + requiredProperty("demo.runtime.classpath");
        return start(version, List.of("-cp", classPath, "io.livepatch4j.demo.DemoServer"), args);
    }

    /** Starts build {@code version} from its runnable jar with {@code java -jar} (failsafe phase). */
    static DemoServerProcess fromJar(String version, String... args) throws IOException {
        return start(version, List.of("-jar", requiredProperty("demo.jar." + version)), args);
    }

    /** The standard arguments of the tests: a small store, so a server starts in well under a second. */
    static String[] smallStore(String... more) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--keys", "2000", "--value-size", "64",
                "--max-value-bytes", "4096", "--threads", "4", "--api-key", API_KEY));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    private static DemoServerProcess start(String version, List<String> launch, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jvmArgs = System.getProperty("lp4j.test.jvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(Arrays.asList(jvmArgs.split("\\s+")));
        }
        command.addAll(launch);
        command.addAll(Arrays.asList(args));
        Path stderr = Files.createTempFile("demo-server-" + version + "-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();

        List<String> stdout = new CopyOnWriteArrayList<>();
        CompletableFuture<ReadyLine> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    stdout.add(line);
                    ReadyLine.find(line).ifPresent(ready::complete);
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("stdout closed before READY"));
        }, "demo-server-" + version + "-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return new DemoServerProcess(process, stdout, stderr,
                    ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("demo server " + version + " did not print READY within " + START_TIMEOUT
                    + " (" + e + "); command: " + command + "\nstdout: " + stdout + "\nstderr: " + read(stderr), e);
        }
    }

    HttpResponse<String> get(String path, String... headerPairs) throws Exception {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), headerPairs);
    }

    HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headerPairs)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body);
        if (headerPairs.length > 0) {
            request.headers(headerPairs);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code request} (request line and headers, CRLF line ends, no final blank line) as
     * raw bytes, for what HTTP clients refuse to send, and returns the whole response as text.
     */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((request + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Opens a raw connection the caller drives; for requests that must stay in flight. */
    Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
        return socket;
    }

    /** Sends SIGTERM and returns at once. */
    void sigterm() {
        // Not process.destroy(): that also closes our end of the child's stdout, and the STOPPED
        // line it prints while shutting down would be lost.
        process.toHandle().destroy();
    }

    /** Sends SIGTERM and asserts the server stops cleanly: it exits and prints STOPPED. */
    void stop() throws InterruptedException {
        sigterm();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("demo server " + version + " (pid " + pid + ") did not exit within 30 s of SIGTERM; stderr:\n"
                    + read(stderr));
        }
        // The stdout reader may still be draining the last line.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stdout.stream().noneMatch(line -> line.startsWith("STOPPED port=" + port))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(stdout.contains("STOPPED port=" + port),
                "after SIGTERM the server must print 'STOPPED port=" + port + "'; stdout was " + stdout
                        + "\nstderr:\n" + read(stderr));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long processPid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new java.io.InterruptedIOException("interrupted while stopping demo server " + version);
        }
        Files.deleteIfExists(stderr);
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests through Maven "
                    + "(mvn -pl demo-server -am verify), which sets it in demo-server/pom.xml");
        }
        return value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }
}
