package org.blazedb.integration;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BlazeDB node in a JVM of its own, started from the launcher jar {@code bndrun/target/blaze.jar}
 * exactly as {@code ./blaze run} starts it in script mode, and driven through its shell: each
 * {@link #run} writes a command to the node's standard input followed by {@code echo} of a unique
 * marker, and returns the output printed before the marker. Standard error goes to
 * {@code <data>.log} for diagnostics. {@link #kill()} is SIGKILL; {@link #stop()} ends standard
 * input so the node stops in order.
 */
final class NodeProcess implements AutoCloseable {
    /** Bound for one command, for a node to start, and for conditions polled with {@link #await}. */
    static final long WAIT_SECONDS = Long.getLong("blaze.e2e.wait.seconds", 180);
    static final File JAR = new File(System.getProperty("blaze.root", ".."), "bndrun/target/blaze.jar");
    private static final String END = "__blaze_e2e_end_";
    private static final Pattern PEER_ROW = Pattern.compile(
            "([0-9a-f]{32})\\s+(yes|no)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+.*");

    final String name;
    final Path data;
    final int port;
    private final List<String> options;
    private Process process;
    private OutputStream stdin;
    private BlockingQueue<String> stdout;
    private int commands;
    private String nodeId;

    /**
     * @param name    for messages
     * @param data    the node's data folder
     * @param port    its server port
     * @param options framework properties ({@code blaze.token.file}, {@code blaze.peers}, …)
     */
    NodeProcess(String name, Path data, int port, Map<String, String> options) {
        this.name = name;
        this.data = data;
        this.port = port;
        this.options = new ArrayList<>();
        options.forEach((k, v) -> this.options.add("-D" + k + "=" + v));
    }

    /** Starts the node (again, after {@link #kill()} or {@link #stop()}) and waits until its shell answers. */
    NodeProcess start() throws IOException {
        if (!JAR.isFile()) {
            throw new IllegalStateException(JAR + " is missing: build the bndrun module first");
        }
        // The launcher unpacks its jars into java.io.tmpdir and removes them only at an orderly
        // exit; kept beside the data folder, they go with the test's temporary folder after a kill.
        Path tmp = Files.createDirectories(data.resolveSibling(data.getFileName() + ".tmp"));
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-Djava.io.tmpdir=" + tmp,
                "-Dblaze.data=" + data, "-Dlaunch.storage.dir=" + data.resolve("framework"),
                "-Dfelix.cm.dir=" + data.resolve("config"), "-Dgosh.args=--nointeractive",
                "-Dblaze.script.stdin=true", "-Dblaze.server.port=" + port));
        command.addAll(options);
        command.addAll(List.of("-jar", JAR.getAbsolutePath()));
        Files.createDirectories(data);
        File log = data.resolveSibling(data.getFileName() + ".log").toFile();
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        stdin = process.getOutputStream();
        stdout = new LinkedBlockingQueue<>();
        BlockingQueue<String> lines = stdout;
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<stdout closed: " + e + ">");
            }
        }, "stdout-" + name);
        pump.setDaemon(true);
        pump.start();
        // The sync commands wait for the engine; status names the node once it runs.
        await("the shell of " + name + " to answer", () -> run("blaze:status").contains(" node "));
        Matcher m = Pattern.compile(" node ([0-9a-f]{32})").matcher(run("blaze:status"));
        if (!m.find()) {
            throw new IllegalStateException(name + " did not report its node id");
        }
        nodeId = m.group(1);
        return this;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return the node's id (32 hex digits) */
    String nodeId() {
        return nodeId;
    }

    /** @return this node's address for peers */
    String address() {
        return "tcp://127.0.0.1:" + port;
    }

    /**
     * @param command a shell command
     * @return what it printed on standard output
     */
    synchronized String run(String command) {
        String marker = END + (++commands) + "__";
        try {
            stdin.write((command + "\necho " + marker + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " no longer reads commands (" + log() + ")", e);
        }
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            while (true) {
                String line = stdout.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException(name + ": no answer to '" + command + "' within " + WAIT_SECONDS
                            + " s; output so far: " + out + "\nlog tail: " + log());
                }
                if (line.equals(marker)) {
                    return out.toString();
                }
                out.append(line).append('\n');
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @param collection a collection @return its document count (0 if it does not exist yet) */
    long count(String collection) {
        String out = run("blaze:count " + collection).strip();
        return out.matches("\\d+") ? Long.parseLong(out) : 0;
    }

    /** One row of {@code blaze:peers}, parsed. */
    record Peer(String nodeId, boolean connected, long out, long in, long sent, long received, long duplicates,
                long conflicts, long errors, String line) {
    }

    /** @param peerId a peer's node id @return its row in {@code blaze:peers}, or null */
    Peer peer(String peerId) {
        for (String line : run("blaze:peers").split("\n")) {
            Matcher m = PEER_ROW.matcher(line.strip());
            if (m.matches() && m.group(1).equals(peerId)) {
                return new Peer(m.group(1), m.group(2).equals("yes"), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                        Long.parseLong(m.group(9)), Long.parseLong(m.group(10)), line);
            }
        }
        return null;
    }

    /** Kills the JVM with SIGKILL: no shutdown hook, no orderly close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** Ends standard input: the node finishes its script and stops in order. */
    void stop() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException alreadyGone) {
            // the process has exited already
        }
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop within " + WAIT_SECONDS + " s");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** @return the last lines of the node's log */
    String log() {
        try {
            Path file = data.resolveSibling(data.getFileName() + ".log");
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** Polls a condition every 50 ms until it holds, failing after {@link #WAIT_SECONDS}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT_SECONDS + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** @return a TCP port free on the loopback interface now */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
