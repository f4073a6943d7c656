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
    private final long redrawNanos;
    private final long start = System.nanoTime();
    private long lastDraw = start; // the first draw comes after redrawNanos: short runs show only the result
    private boolean drawn;
    private long done;
    private long units;

    /**
     * @param out   where to draw
     * @param verb  "imported", "exported"
     * @param total the expected work (documents, or bytes of input), 0 when unknown
     */
    Progress(PrintStream out, String verb, long total) {
        this(out, verb, total, REDRAW_NANOS);
    }

    /** As {@link #Progress(PrintStream, String, long)}, redrawn at most every {@code redrawNanos}. */
    Progress(PrintStream out, String verb, long total, long redrawNanos) {
        this.out = out;
        this.verb = verb;
        this.total = total;
        this.redrawNanos = redrawNanos;
    }

    /**
     * Runs a command's work, then gives its final line. If the work fails, the bar is wiped first,
     * so that the command's error is printed on a line of its own rather than after the bar.
     *
     * @param work advances this progress as it goes
     * @return the final line: count, seconds, rate
     */
    String finishAfter(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            clear();
            throw e;
        }
        return finish();
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
        if (now - lastDraw >= redrawNanos) {
            lastDraw = now;
            drawn = true;
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
        clear();
        return String.format("%s %,d documents in %.2f s (%,.0f docs/s)", verb, done, (now - start) / 1e9, rate(now));
    }

    /** Wipes the bar, if it was drawn, leaving the cursor at the start of its line. */
    private void clear() {
        if (drawn) {
            out.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
