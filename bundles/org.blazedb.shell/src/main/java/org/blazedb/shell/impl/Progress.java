package org.blazedb.shell.impl;

import java.io.PrintStream;

/**
 * A progress bar for long commands: {@code [#####.....]  52% 520,000 docs  180,000 docs/s}, redrawn
 * in place at most every {@link #REDRAW_NANOS}, and a final line with the count, time and rate.
 */
final class Progress {
    /** How often the bar is redrawn. */
    static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String verb;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw = start; // the first draw comes after REDRAW_NANOS: short runs show only the result
    private long done;
    private long units;

    /**
     * @param out   where to draw
     * @param verb  "imported", "exported"
     * @param total the expected work (documents, or bytes of input), 0 when unknown
     */
    Progress(PrintStream out, String verb, long total) {
        this.out = out;
        this.verb = verb;
        this.total = total;
    }

    /** @param n documents done, each one unit of work */
    void advance(long n) {
        advance(n, n);
    }

    /** @param n documents done @param work units of work they took (such as bytes read) */
    void advance(long n, long work) {
        done += n;
        units += work;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            out.print("\r" + bar() + " " + String.format("%,d docs  %,.0f docs/s", done, rate(now)));
            out.flush();
        }
    }

    private String bar() {
        if (total <= 0) {
            return "[" + "#".repeat((int) ((done / 1000) % WIDTH)) + "]";
        }
        int filled = (int) Math.min(WIDTH, units * WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", Math.min(100, units * 100 / total));
    }

    private double rate(long now) {
        double seconds = (now - start) / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }

    /** @return the final line: count, seconds, rate */
    String finish() {
        long now = System.nanoTime();
        if (lastDraw != start) {
            out.print("\r" + " ".repeat(WIDTH + 40) + "\r");
        }
        return String.format("%s %,d documents in %.2f s (%,.0f docs/s)", verb, done, (now - start) / 1e9, rate(now));
    }
}
