package org.blazedb.node.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/** Errors in the Log Service reach the node's standard error, once each. */
class NodeErrorConsoleTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void anErrorIsOneLineWithTheBundleAndWhatTheComponentSaid() {
        // as DS logs a constructor's exception: wrapped without a message of its own
        Throwable failure = new InvocationTargetException(new IllegalStateException(
                "Cannot listen on 127.0.0.1:7420 (Address already in use); configure another port",
                new java.io.IOException("Address already in use")));
        FakeReader reader = new FakeReader(List.of());
        new NodeErrorConsole(reader, err);
        reader.listener.logged(entry(1, LogLevel.ERROR, "org.blazedb.server", "[BlazeServer(8)] : Error during instantiation", failure));
        assertEquals("blaze: error in org.blazedb.server: Cannot listen on 127.0.0.1:7420 (Address already in use); configure"
                + " another port [[BlazeServer(8)] : Error during instantiation]\n",
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wrappersThatRepeatTheirCauseAreSkipped() {
        java.net.URISyntaxException syntax = new java.net.URISyntaxException("127.0.0.1:7421", "Illegal character in scheme name", 0);
        Throwable failure = new InvocationTargetException(new IllegalArgumentException(syntax.getMessage(), syntax));
        assertEquals(syntax, NodeErrorConsole.reason(failure));
        RuntimeException plain = new RuntimeException(new IllegalStateException("the reason"));
        assertEquals(plain.getCause(), NodeErrorConsole.reason(plain));
        assertEquals(null, NodeErrorConsole.reason(null));
    }

    @Test
    void onlyErrorsArePrinted() {
        FakeReader reader = new FakeReader(List.of());
        new NodeErrorConsole(reader, err);
        reader.listener.logged(entry(1, LogLevel.WARN, "org.apache.felix.scr", "a warning", null));
        reader.listener.logged(entry(2, LogLevel.INFO, "org.apache.felix.scr", "news", null));
        reader.listener.logged(entry(3, LogLevel.ERROR, null, "no bundle", null));
        assertEquals("blaze: error in the framework: no bundle\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void errorsLoggedBeforeItStartedArePrintedOnceInOrder() {
        LogEntry first = entry(4, LogLevel.ERROR, "a", "first", null);
        LogEntry second = entry(5, LogLevel.ERROR, "b", "second", null);
        // the Log Service's history is newest first; the listener may deliver an entry it holds too
        FakeReader reader = new FakeReader(List.of(second, first));
        new NodeErrorConsole(reader, err);
        reader.listener.logged(second);
        reader.listener.logged(entry(6, LogLevel.ERROR, "c", "third", null));
        assertEquals("blaze: error in a: first\nblaze: error in b: second\nblaze: error in c: third\n",
                printed.toString(StandardCharsets.UTF_8));
    }

    private static LogEntry entry(long sequence, LogLevel level, String bundleName, String message, Throwable exception) {
        Bundle bundle = bundleName == null ? null : proxy(Bundle.class, Map.of("getSymbolicName", bundleName));
        Map<String, Object> values = new java.util.HashMap<>(Map.of("getSequence", sequence, "getLogLevel", level,
                "getMessage", message));
        values.put("getBundle", bundle);
        values.put("getException", exception);
        return proxy(LogEntry.class, values);
    }

    /** @return an instance of {@code type} answering each method named in {@code values} with its value */
    private static <T> T proxy(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return values.get(method.getName());
        }));
    }

    private static final class FakeReader implements LogReaderService {
        private final List<LogEntry> history;
        LogListener listener;

        FakeReader(List<LogEntry> history) {
            this.history = new ArrayList<>(history);
        }

        @Override
        public void addLogListener(LogListener l) {
            listener = l;
        }

        @Override
        public void removeLogListener(LogListener l) {
            listener = null;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public java.util.Enumeration getLog() {
            return Collections.enumeration(history);
        }
    }
}
