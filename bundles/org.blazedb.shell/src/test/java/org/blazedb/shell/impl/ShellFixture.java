package org.blazedb.shell.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shell's commands on a real store named {@code default}, for each test, with what they print
 * to standard output captured: {@code @RegisterExtension final ShellFixture shell = new ShellFixture();}.
 */
final class ShellFixture implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Path folder;
    private StoreEngine store;
    private BlazeCommands commands;
    private PrintStream stdout;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("blaze-shell-test");
        store = StoreEngine.open(StoreOptions.defaults("default", folder.resolve("db")));
        commands = new BlazeCommands(null, 0);
        commands.addStore(store);
        stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        System.setOut(stdout);
        store.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return the store the commands work on */
    StoreEngine store() {
        return store;
    }

    /** @return the commands */
    BlazeCommands commands() {
        return commands;
    }

    /** @return what the commands printed since the last call */
    String printed() {
        String s = printed.toString(StandardCharsets.UTF_8);
        printed.reset();
        return s;
    }
}
