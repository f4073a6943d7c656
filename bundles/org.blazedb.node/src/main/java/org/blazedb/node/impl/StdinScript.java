package org.blazedb.node.impl;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs Gogo commands read line by line, printing each one's result. Blank lines and lines starting
 * with {@code #} are skipped. A failing command prints one line on the error stream and the script
 * goes on; the outcome says whether any failed.
 */
final class StdinScript {
    private final CommandProcessor processor;

    StdinScript(CommandProcessor processor) {
        this.processor = processor;
    }

    /**
     * @param in  the script
     * @param out where command output goes
     * @param err where errors go
     * @return the number of commands that failed
     */
    int run(BufferedReader in, PrintStream out, PrintStream err) throws IOException {
        int failures = 0;
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err)) {
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.strip();
                if (command.isEmpty() || command.startsWith("#")) {
                    continue;
                }
                if (!execute(session, command, out, err)) {
                    failures++;
                }
            }
        }
        return failures;
    }

    private static boolean execute(CommandSession session, String command, PrintStream out, PrintStream err) {
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            return true;
        } catch (Exception e) {
            err.println("blaze: " + command + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return false;
        } finally {
            out.flush();
        }
    }
}
