package dev.sluice.aws.kinesis.reader;

import java.time.Duration;

/** How a reader waits: the thread's own sleep in production, a fake clock's advance in unit tests. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
