package dev.sluice.core.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a {@link BufferingSink} reported, for unit tests of sinks without a runner: durable and released, in order. */
public final class RecordingDurable implements BufferingSink.Durable {
    public final List<Message> durable = new CopyOnWriteArrayList<>();
    public final List<Message> released = new CopyOnWriteArrayList<>();
    public final List<String> reasons = new CopyOnWriteArrayList<>();

    @Override
    public void durable(List<Message> messages) {
        durable.addAll(messages);
    }

    @Override
    public void release(List<Message> messages, String reason) {
        released.addAll(messages);
        reasons.add(reason);
    }
}
