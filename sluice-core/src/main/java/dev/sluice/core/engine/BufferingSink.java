package dev.sluice.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A sink that gathers values into something it stores later as a whole: a file rolled by count, size or age
 * (DESIGN.md §2: "a buffering sink reports which messages became durable when it flushes; only those are acked").
 * The {@link Runner} acknowledges a delivered message only when the sink reports it {@link Durable durable};
 * until then the message stays claimed (the heartbeat renews it), so a crash before the file is stored means
 * redelivery, never loss. Storing under a name derived from the content's source positions, or deduplicating,
 * keeps redelivery from doubling anything. A file the sink gives up on (its work directory failed) hands its
 * messages back through {@link Durable#release}: they come again at once, and nothing of that file is stored.
 *
 * <pre>{@code
 * BufferingSink<Event> raw = new RollingFileSink(...); // the files plugin's sink
 * Runner.builder("tracking", sqs, parse, raw, errors).build().start();
 * // the runner calls raw.start(durable) once, raw.write(...) per batch, raw.roll(now) every raw.tick(),
 * // raw.giveUpPending(reason) when a store cannot succeed, and raw.flush() when it stops gracefully
 * }</pre>
 *
 * <p>Must be safe for concurrent use: several writers call {@link #write} while the runner's roller calls
 * {@link #roll}.
 */
public interface BufferingSink<T> extends Sink<T> {

    /** Called by the runner once, before the first write: where to report messages whose values are durable. */
    void start(Durable durable);

    /**
     * Takes the deliveries into the buffer. It may store a full buffer right away (and report it durable); a
     * store that fails here stays pending and is retried by {@link #roll}.
     *
     * @throws Exception only when none of the deliveries was taken; the runner retries them
     */
    @Override
    void write(List<Delivery<T>> deliveries) throws Exception;

    /**
     * Stores whatever is due at {@code now}: buffers past their age, and stores that failed before.
     *
     * @throws Exception when a store failed; the runner counts a retry and calls again at the next tick
     */
    void roll(Instant now) throws Exception;

    /**
     * Stores everything buffered, whatever its age; called when the runner stops gracefully.
     *
     * @throws Exception when a store failed; what was not stored is redelivered after the restart
     */
    void flush() throws Exception;

    /**
     * Gives up the values whose store failed (closed files waiting to be stored): deletes them and hands their
     * messages back through {@link Durable#release} with {@code reason}; open files are kept. The runner calls it
     * from its roller when a store failed with a {@link PermanentFailureException}, or kept failing for
     * {@link RunnerSettings#giveUpAfter()}, so one store that cannot succeed does not hold its messages forever.
     */
    void giveUpPending(String reason);

    /**
     * Deletes the object this sink stored under {@code object} in an earlier run (a name it announced through
     * {@link Durable#storing}); deleting one that is not there succeeds. Only a sink that announces its stores is
     * asked.
     *
     * @throws Exception when the object is not (known to be) deleted; it may be asked again
     */
    default void deleteStored(String object) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " announces no stores");
    }

    /** How often the runner calls {@link #roll}; bounds how late an age-based roll may happen. */
    default Duration tick() {
        return Duration.ofSeconds(1);
    }

    /** Where a buffering sink reports what became of the messages it took; may be called from any thread. */
    interface Durable {
        /**
         * These messages' values are stored: the runner acknowledges them. For a store that needs no undo (see
         * {@link #durable(List, Undo)}): a replay rewrites it in place, or nothing wraps the sink.
         */
        void durable(List<Message> messages);

        /**
         * These messages' values are stored, and {@code undo} deletes what was stored. A receiver that must do more
         * before they may be acknowledged (a {@code DedupingSink} records their events as seen) and cannot, runs
         * {@code undo} and hands the messages back only once it succeeded: their redelivery, grouped into other
         * files, must not find the first store still there. If the undo fails, the messages stay claimed and the
         * receiver tries it again later; a stop or crash meanwhile leaves the store for the sink's next start.
         *
         * @return {@code true} when the messages are taken as durable (acknowledged); {@code false} when they are
         *         not: the store was undone, or will be, or is left for the next start to settle, so the sink keeps
         *         whatever tells that start about it
         */
        default boolean durable(List<Message> messages, Undo undo) {
            durable(messages);
            return true;
        }

        /**
         * The sink is about to store an object under the name {@code object}, whose messages it will report with
         * {@link #durable(List, String, Undo)}. A receiver that keeps a ledger of stores under way (a
         * {@code DedupingSink}) writes it down here, so a crash between the store and the report leaves a trace the
         * next start settles ({@link BufferingSink#deleteStored}).
         *
         * @throws Exception when it could not be written down: the sink must not store the object now (it tries
         *                   again later, as after a failed store)
         */
        default void storing(String object) throws Exception {
        }

        /** {@link #durable(List, Undo)} for a store announced by {@link #storing(String)} under {@code object}. */
        default boolean durable(List<Message> messages, String object, Undo undo) {
            return durable(messages, undo);
        }

        /**
         * The sink gave up on these messages' values (a file it abandoned): the runner hands them back to the source
         * at once, so they come again instead of waiting, claimed, for a restart, and reports the pipeline FAILING
         * with {@code reason} until the sink next reports values {@link #durable}. Messages already acknowledged or
         * released are skipped. The reason is shown as it is: it names the resource and the rule, never a value.
         */
        void release(List<Message> messages, String reason);

        /** Takes a store back: deletes what it stored. */
        @FunctionalInterface
        interface Undo {
            /** @throws Exception when the store is not (known to be) deleted; it may be run again */
            void undo() throws Exception;
        }

        /** The two reports as functions. */
        static Durable of(Consumer<List<Message>> durable, BiConsumer<List<Message>, String> release) {
            return new Durable() {
                @Override
                public void durable(List<Message> messages) {
                    durable.accept(messages);
                }

                @Override
                public void release(List<Message> messages, String reason) {
                    release.accept(messages, reason);
                }
            };
        }
    }
}
