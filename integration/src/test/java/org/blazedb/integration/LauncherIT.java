package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the README's node command, {@code ./blaze run}, as a separate process: script mode on a
 * pipe, errors, usage, and a headless node stopped by SIGTERM.
 */
public class LauncherIT {
    private static final long TIMEOUT_SECONDS = 120;
    private static final File ROOT = new File(System.getProperty("blaze.root", ".."));

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void scriptOnStandardInputListsEveryBundleActiveAndExitsZero() throws Exception {
        Result r = runWithInput("lb\n", "run", "--data", temp.newFolder("n1").getPath());
        assertEquals(r.describe(), 0, r.exitCode);
        List<String> rows = r.stdout.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).collect(Collectors.toList());
        assertTrue(r.describe(), rows.size() >= 10);
        for (String row : rows) {
            // the only fragment, epoll's native library, attaches to its host and stays Resolved
            boolean fragment = row.contains("|Netty/Transport/Native/Epoll ");
            assertTrue("not active: " + row, fragment ? row.contains("|Resolved") : row.contains("|Active"));
        }
        assertTrue(r.describe(), rows.stream().anyMatch(l -> l.contains("|BlazeDB API")));
        assertTrue(r.describe(), rows.stream().anyMatch(l -> l.contains("|BlazeDB standalone node")));
    }

    @Test
    public void aFailingCommandMakesTheScriptExitNonZero() throws Exception {
        Result r = runWithInput("# a comment\nno-such-command\nlb\n", "run", "--data", temp.newFolder("n2").getPath());
        assertEquals(r.describe(), 1, r.exitCode);
        assertTrue(r.describe(), r.stderr.contains("no-such-command"));
        assertTrue("later commands still ran: " + r.describe(), r.stdout.contains("|Active"));
    }

    @Test
    public void aResolverChosenInTheShellIsKeptWhenTheNodeRestarts() throws Exception {
        String data = temp.newFolder("n4").getPath();
        Result first = runWithInput("blaze:resolver\nblaze:resolver merge\n", "run", "--data", data);
        assertEquals(first.describe(), 0, first.exitCode);
        assertTrue("a node starts with lww: " + first.describe(), first.stdout.matches("(?s).*default\\s+lww\\s+configured: lww.*"));
        assertTrue(first.describe(), first.stdout.contains("store default: new conflicts are resolved by merge"));
        Result second = runWithInput("blaze:resolver\n", "run", "--data", data);
        assertEquals(second.describe(), 0, second.exitCode);
        assertTrue("the choice survived the restart: " + second.describe(),
                second.stdout.matches("(?s).*default\\s+merge\\s+configured: merge.*"));
    }

    @Test
    public void badArgumentsPrintUsageAndExitNonZero() throws Exception {
        for (String[] args : List.of(new String[] {"run", "--nope"}, new String[] {}, new String[] {"fly"},
                new String[] {"run", "--data"})) {
            Result r = runWithInput("", args);
            assertEquals(r.describe(), 2, r.exitCode);
            assertTrue(r.describe(), r.stderr.contains("usage: ./blaze run"));
        }
    }

    @Test
    public void aClosedStandardInputIsAnEmptyScript() throws Exception {
        // <&- closes standard input: the first file the JVM opened took its place and was run as a
        // script, whose lines with '>' wrote files into the working folder: a folder of the test's
        Result r = runCommand(temp.newFolder("cwd"), "", List.of("bash", "-c", "exec \"$0\" \"$@\" <&-", blaze(), "run",
                "--data", temp.newFolder("n10").getPath(), "--port", "0"));
        assertEquals(r.describe(), 0, r.exitCode);
        assertTrue(r.describe(), r.stderr.contains("blaze: node started"));
        assertFalse("no command ran: " + r.describe(), r.stderr.contains("Command not found"));
    }

    @Test
    public void anOptionWithAnotherOptionForValueARepeatedOptionOrAPeerItCannotReadIsRefused() throws Exception {
        String data = temp.newFolder("n8").getPath();
        String other = temp.newFolder("n9").getPath();
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--peer-id", "--headless"), "blaze: --peer-id needs a value, not '--headless', which is read as an option");
        cases.put(List.of("--bind", "--headless"), "blaze: --bind needs a value, not '--headless'");
        cases.put(List.of("--port", "0"), "blaze: --port is given twice; give it once");
        cases.put(List.of("--data", other), "blaze: --data is given twice; give it once");
        cases.put(List.of("--peer", "127.0.0.1:7421"), "blaze: --peer needs an address with its scheme, such as tcp://127.0.0.1:7421, not '127.0.0.1:7421'");
        cases.put(List.of("--peer", "tcp://a:7421,tcp://b:7421"), "blaze: --peer takes one value, without commas (repeat the option)");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--data", data, "--port", "0"));
            args.addAll(c.getKey());
            Result r = runWithInput("", args.toArray(new String[0]));
            String what = args + ": " + r.describe();
            assertEquals(what, 2, r.exitCode);
            assertTrue(what, r.stderr.contains(c.getValue()));
            assertTrue(what, r.stderr.contains("usage: ./blaze run"));
            assertFalse("refused before the node starts: " + what, r.stderr.contains("blaze: node started"));
        }
    }

    /** Waits, at most {@link #TIMEOUT_SECONDS}, until {@code node} has written to {@code err} that it started. */
    private static void awaitStarted(Process node, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.readString(err).contains("blaze: node started")) {
            assertTrue("node exited early: " + Files.readString(err), node.isAlive());
            assertTrue("node did not start in time: " + Files.readString(err), System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }

    @Test
    public void headlessNodeRunsUntilSigtermThenStopsCleanly() throws Exception {
        Path data = temp.newFolder("n3").toPath();
        Path err = temp.newFile("headless.err").toPath();
        Process node = new ProcessBuilder(blaze(), "run", "--headless", "--data", data.toString())
                .directory(ROOT).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        try {
            awaitStarted(node, err);
            assertTrue("a headless node keeps running", node.isAlive());
            assertTrue("the framework keeps its cache in the data folder", Files.isDirectory(data.resolve("framework")));
            node.destroy(); // SIGTERM
            assertTrue("stopped within the bound", node.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(err);
            assertEquals(log, 0, node.exitValue());
            assertTrue(log, log.contains("blaze: node stopped"));
        } finally {
            destroyWithItsJvm(node);
        }
    }

    /** Waits, at most {@link #TIMEOUT_SECONDS}, until {@code err} holds {@code text}. */
    private static void awaitOutput(Process node, Path err, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.readString(err).contains(text)) {
            assertTrue("node exited before printing '" + text + "': " + Files.readString(err), node.isAlive());
            assertTrue("no '" + text + "' in time: " + Files.readString(err), System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }

    @Test
    public void aServerThatCannotListenSaysWhyOnStandardError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path err = temp.newFile("port-taken.err").toPath();
            Process node = new ProcessBuilder(blaze(), "run", "--headless", "--data", temp.newFolder("n6").getPath(),
                    "--port", Integer.toString(port)).directory(ROOT).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            try {
                awaitStarted(node, err);
                // DS reports the failed activation to the Log Service only; the node prints it
                awaitOutput(node, err, "blaze: error in org.blazedb.server: ");
                String log = Files.readString(err);
                assertTrue(log, log.contains("Cannot listen on 127.0.0.1:" + port));
                assertTrue(log, log.contains("configure another port in org.blazedb.server"));
                node.destroy(); // SIGTERM
                assertTrue("stopped within the bound", node.waitFor(60, TimeUnit.SECONDS));
            } finally {
                destroyWithItsJvm(node);
            }
        }
    }

    /**
     * A SIGTERM sent to the launcher alone (kill PID, timeout, a supervisor) while a script writes:
     * the node stops in order, the launcher exits 143, and every write the script saw acknowledged
     * is there at the next start.
     */
    @Test
    public void sigtermToTheLauncherWhileAScriptWritesStopsTheNodeAndKeepsAcknowledgedWrites() throws Exception {
        Path data = temp.newFolder("n7").toPath();
        Path err = temp.newFile("sigterm.err").toPath();
        Process launcher = new ProcessBuilder(blaze(), "run", "--data", data.toString(), "--port", "0")
                .directory(ROOT).redirectError(err.toFile()).start();
        java.util.concurrent.BlockingQueue<String> acknowledged = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = Pattern.compile("\\{\"_id\":\"(d\\d+)\",\"n\":\\d+\\}").matcher(line);
                    if (m.matches()) {
                        acknowledged.add(m.group(1));
                    }
                }
            } catch (IOException gone) {
                // the launcher has exited
            }
        }, "launcher-stdout");
        reader.start();
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream in = launcher.getOutputStream()) {
                for (int i = 0; i < 100_000; i++) {
                    in.write(("blaze:put notes d" + i + " '{\"n\":" + i + "}'\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException gone) {
                // the node stopped reading: expected once it was stopped
            }
        }, "launcher-stdin");
        writer.setDaemon(true);
        writer.start();
        ProcessHandle jvm = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (acknowledged.size() < 50) {
                assertTrue("the script wrote in time: " + Files.readString(err), System.nanoTime() < deadline && launcher.isAlive());
                Thread.sleep(20);
            }
            jvm = nodeJvm(launcher);
            launcher.destroy(); // SIGTERM to the launcher only
            assertTrue("the launcher exited within the bound", launcher.waitFor(60, TimeUnit.SECONDS));
            try {
                jvm.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the node's JVM outlived its launcher: " + Files.readString(err), e);
            }
            reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            String log = Files.readString(err);
            assertEquals("a script cut short by SIGTERM: " + log, 143, launcher.exitValue());
            assertTrue(log, log.contains("blaze: node stopped"));
        } finally {
            destroyWithItsJvm(launcher);
        }
        List<String> ids = List.copyOf(acknowledged);
        Result after = runWithInput("blaze:find notes\n", "run", "--data", data.toString(), "--port", "0");
        assertEquals(after.describe(), 0, after.exitCode);
        for (String id : ids) {
            assertTrue(id + " was acknowledged before the SIGTERM: " + after.describe(), after.stdout.contains("{\"_id\":\"" + id + "\","));
        }
    }

    @Test
    public void theTokenGoesFromAFileIntoTheNodeButNeverOntoACommandLineNorIntoTheConfiguration() throws Exception {
        String secret = "launcher-secret-" + Long.toHexString(System.nanoTime());
        Path token = temp.newFile("token").toPath();
        Files.writeString(token, secret + "\n");
        Path data = temp.newFolder("n4").toPath();
        Path err = temp.newFile("token.err").toPath();
        Process node = new ProcessBuilder(blaze(), "run", "--headless", "--data", data.toString(), "--port", "0",
                "--token-file", token.toString()).directory(ROOT).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        try {
            awaitStarted(node, err);
            String log = Files.readString(err);
            assertTrue(log, log.contains("BlazeDB server listening"));
            assertFalse("the server has the token: " + log, log.contains("No token is configured"));
            ProcessHandle jvm = nodeJvm(node);
            String commandLine = String.join(" ", arguments(jvm));
            assertTrue(commandLine, commandLine.contains("-Dblaze.token.file=" + token));
            assertEquals("the default collector, where the JDK has it: " + commandLine, javaHasShenandoah(),
                    commandLine.contains("-XX:+UseShenandoahGC"));
            assertTrue(commandLine, commandLine.contains("-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:-TieredCompilation"));
            assertFalse("the node's JVM compiles with C2 alone", vmFlag(jvm, "TieredCompilation"));
            assertFalse("the token is not on the command line", commandLine.contains(secret));
            try (java.util.stream.Stream<Path> files = Files.walk(data.resolve("config"))) {
                for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    assertFalse("the token is not stored in " + f, Files.readString(f, StandardCharsets.ISO_8859_1).contains(secret));
                }
            }
            node.destroy(); // SIGTERM
            assertTrue("stopped within the bound", node.waitFor(60, TimeUnit.SECONDS));
        } finally {
            destroyWithItsJvm(node);
        }
    }

    @Test
    public void theNodeJvmGetsAFixedHeapOfBlazeHeapAndTheOptionsAndCollectorOfBlazeJavaOpts() throws Exception {
        Path data = temp.newFolder("n5").toPath();
        Path err = temp.newFile("heap.err").toPath();
        ProcessBuilder builder = new ProcessBuilder(blaze(), "run", "--headless", "--data", data.toString(), "--port", "0")
                .directory(ROOT).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        builder.environment().put("BLAZE_HEAP", "192m");
        builder.environment().put("BLAZE_JAVA_OPTS", "-XX:+UseSerialGC -XX:+TieredCompilation -Dblaze.test.marker=launcher");
        Process node = builder.start();
        try {
            awaitStarted(node, err);
            ProcessHandle jvm = nodeJvm(node);
            List<String> args = arguments(jvm);
            for (String expected : List.of("-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch", "-XX:-TieredCompilation", "-XX:+UseSerialGC", "-Dblaze.test.marker=launcher")) {
                assertTrue(expected + " in " + args, args.contains(expected));
            }
            assertFalse("the collector named replaces the default: " + args, args.contains("-XX:+UseShenandoahGC"));
            assertTrue("BLAZE_JAVA_OPTS come after the defaults, so that theirs win: " + args,
                    args.indexOf("-XX:+TieredCompilation") > args.indexOf("-XX:-TieredCompilation"));
            assertTrue("-XX:+TieredCompilation in BLAZE_JAVA_OPTS turns tiering back on", vmFlag(jvm, "TieredCompilation"));
            node.destroy(); // SIGTERM
            assertTrue("stopped within the bound", node.waitFor(60, TimeUnit.SECONDS));
            assertEquals(Files.readString(err), 0, node.exitValue());
        } finally {
            destroyWithItsJvm(node);
        }
    }

    @Test
    public void aBlazeHeapThatIsNoSizeIsRefusedBeforeAnythingStarts() throws Exception {
        for (String heap : List.of("lots", "0m", "1.5g", "512")) {
            File out = temp.newFile();
            File err = temp.newFile();
            ProcessBuilder builder = new ProcessBuilder(blaze(), "run", "--data", temp.newFolder().getPath())
                    .directory(ROOT).redirectOutput(out).redirectError(err);
            builder.environment().put("BLAZE_HEAP", heap);
            Process p = builder.start();
            assertTrue("exited within the bound", p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            String stderr = Files.readString(err.toPath());
            assertEquals(stderr, 2, p.exitValue());
            assertTrue(stderr, stderr.contains("BLAZE_HEAP must be a size such as 512m or 2g, not '" + heap + "'"));
        }
    }

    /** @return whether the {@code java} the launcher runs (the first on the PATH) has the Shenandoah collector */
    private static boolean javaHasShenandoah() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("java", "-XX:+UseShenandoahGC", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue("java -version answered within the bound", p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return p.exitValue() == 0;
    }

    /**
     * Kills the launcher and what it started: SIGKILL cannot be forwarded, so killing the launcher
     * alone would leave a node JVM running after a failed test.
     */
    private static void destroyWithItsJvm(Process launcher) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
    }

    /** @return the node's JVM: the one process under the launcher running {@code blaze.jar} */
    private static ProcessHandle nodeJvm(Process launcher) {
        List<ProcessHandle> jvms = launcher.descendants()
                .filter(p -> arguments(p).stream().anyMatch(a -> a.contains("blaze.jar")))
                .collect(Collectors.toList());
        assertEquals("one node JVM: " + jvms, 1, jvms.size());
        return jvms.get(0);
    }

    /** @return the process's arguments (its command line after the program), as the OS shows them */
    private static List<String> arguments(ProcessHandle p) {
        return List.of(p.info().arguments().orElse(new String[0]));
    }

    /**
     * @return the value of the boolean flag {@code name} in the running JVM {@code jvm}, as its
     *         {@code jcmd VM.flags -all} shows it (what it runs with, whatever its command line says)
     */
    private static boolean vmFlag(ProcessHandle jvm, String name) throws IOException, InterruptedException {
        long pid = jvm.pid();
        String out;
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // into a file: read from a pipe, the output would block the bound below until jcmd ends
        Path flags = Files.createTempFile("blaze-vm-flags", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.flags", "-all")
                    .redirectErrorStream(true).redirectOutput(flags.toFile()).start();
            assertTrue("jcmd answered within the bound", p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            out = Files.readString(flags);
        } finally {
            Files.deleteIfExists(flags);
        }
        Matcher m = Pattern.compile("\\bbool\\s+" + name + "\\s+=\\s+(true|false)\\b").matcher(out);
        assertTrue("jcmd " + pid + " VM.flags -all shows " + name + ": " + out, m.find());
        return Boolean.parseBoolean(m.group(1));
    }

    private static String blaze() {
        return new File(ROOT, "blaze").getAbsolutePath();
    }

    private Result runWithInput(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(blaze());
        command.addAll(List.of(args));
        return runCommand(ROOT, input, command);
    }

    /** Runs {@code command} in {@code dir} with {@code input} on its standard input, at most {@link #TIMEOUT_SECONDS}. */
    private Result runCommand(File dir, String input, List<String> command) throws IOException, InterruptedException {
        File out = temp.newFile();
        File err = temp.newFile();
        Process p = new ProcessBuilder(command).directory(dir).redirectOutput(out).redirectError(err).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            destroyWithItsJvm(p);
        }
        assertFalse("timed out: " + command, !done);
        return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    private static final class Result {
        final int exitCode;
        final String stdout;
        final String stderr;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
