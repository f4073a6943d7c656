package org.blazedb.store.impl;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.blazedb.api.Mutation;
import org.blazedb.api.OperationKind;
import org.blazedb.codec.BlazeWriter;

/**
 * Encodes the fields of a large batch's puts on a second thread while the committing thread stages
 * the batch, so that on a machine with a spare core encoding (a fifth of the commit path's CPU in an
 * import) runs beside the rest. Encoding a map is a pure function of it, so a put whose fields are
 * not encoded yet when the stage reaches it is simply encoded there: nothing waits for this thread,
 * and a busy or slow helper costs nothing but its own CPU.
 *
 * <p>The encoded bytes are exactly what {@code BlazeWriter.writeValue} writes for the map, which is
 * what a document record and a put's log record hold.
 */
final class FieldEncoder implements AutoCloseable {
    /** Batches with fewer mutations are encoded by the stage alone: the hand-off would cost more. */
    static final int MIN_MUTATIONS = 128;

    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final BlazeWriter buffer = new BlazeWriter(4096);
    private volatile boolean closed;

    FieldEncoder(String storeName) {
        thread = new Thread(this::run, "blaze-store-" + storeName + "-encoder");
        thread.setDaemon(true);
        thread.start();
    }

    /** The encoded fields of one batch's puts, filled in by the helper in batch order. */
    static final class Job {
        /** A copy: the caller's batch may change once its write returned, while this thread still reads. */
        private final Mutation[] mutations;
        private final AtomicReferenceArray<byte[]> encoded;
        private volatile boolean cancelled;

        Job(List<Mutation> mutations) {
            this.mutations = mutations.toArray(new Mutation[0]);
            this.encoded = new AtomicReferenceArray<>(this.mutations.length);
        }

        /** @return the encoded fields of mutation {@code i} (a put), or null if not encoded yet */
        byte[] get(int i) {
            return encoded.get(i);
        }

        /** The stage is done with it: the helper stops early. */
        void cancel() {
            cancelled = true;
        }
    }

    /**
     * @param mutations a batch's mutations
     * @return a job the helper fills in; {@link Job#cancel} it when done
     */
    Job start(List<Mutation> mutations) {
        Job job = new Job(mutations);
        if (!closed) {
            jobs.add(job);
        }
        return job;
    }

    private void run() {
        while (!closed) {
            Job job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < job.encoded.length() && !job.cancelled; i++) {
                try {
                    Mutation m = job.mutations[i];
                    if (m.kind() == OperationKind.PUT) {
                        buffer.reset();
                        job.encoded.set(i, buffer.writeValue(m.fields()).toByteArray());
                    }
                } catch (RuntimeException e) {
                    // left to the stage: it encodes these fields itself and reports what fails
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
