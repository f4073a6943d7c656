package org.blazedb.bench.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one side of {@link StoreVsSqlite}'s import in a fresh JVM: the same {@code java}, JVM options
 * and class path as this one, so that the import pays for compiling its own code and gets nothing
 * another import compiled before it.
 */
final class ImportChild {
    /** The argument that makes {@link StoreVsSqlite} a child: followed by the side and the folder. */
    static final String ARG = "--child-import";
    static final String BLAZE = "blaze";
    static final String SQLITE = "sqlite";
    /** The child's result line: this word, a space, documents per second. */
    static final String RATE = "rate";
    private static final long TIMEOUT_MINUTES = 15;

    private ImportChild() {
    }

    /**
     * @param side    {@link #BLAZE} or {@link #SQLITE}
     * @param folder  the new, empty folder to import into
     * @param options further arguments for the child ({@code --docs} and the like)
     * @return the child's import rate, documents per second
     * @throws IOException if the child fails, prints no rate or outlasts the timeout
     */
    static double run(String side, Path folder, List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreVsSqlite.class.getName(), ARG, side, folder.toString()));
        command.addAll(options);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Double rate = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                if (line.startsWith(RATE + " ")) {
                    rate = Double.parseDouble(line.substring(RATE.length() + 1));
                } else {
                    System.out.println("    [" + side + " import] " + line);
                }
            }
        } finally {
            if (!child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new IOException("The " + side + " import did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
        }
        if (child.exitValue() != 0 || rate == null) {
            throw new IOException("The " + side + " import failed: exit code " + child.exitValue() + (rate == null ? ", no rate printed" : ""));
        }
        return rate;
    }
}
