package dev.sluice.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Source} that passes every call to another; subclasses override the calls they observe or change (a
 * latency recorder around {@link #acknowledge}, a fault injected in a test).
 *
 * <pre>{@code
 * Source counting = new ForwardingSource(sqsSource) {
 *     public void acknowledge(List<Message> messages) throws Exception {
 *         super.acknowledge(messages);
 *         acked.addAndGet(messages.size());
 *     }
 * };
 * }</pre>
 */
public class ForwardingSource implements Source {
    private final Source delegate;

    public ForwardingSource(Source delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<Message> poll(int max) throws Exception {
        return delegate.poll(max);
    }

    @Override
    public int maxPerPoll() {
        return delegate.maxPerPoll();
    }

    @Override
    public boolean replaysInOrder() {
        return delegate.replaysInOrder();
    }

    @Override
    public void acknowledge(List<Message> messages) throws Exception {
        delegate.acknowledge(messages);
    }

    @Override
    public void extendClaim(List<Message> messages, Duration extension) throws Exception {
        delegate.extendClaim(messages, extension);
    }

    @Override
    public Duration claimTimeout() {
        return delegate.claimTimeout();
    }

    @Override
    public Optional<Backlog> backlog() throws Exception {
        return delegate.backlog();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
