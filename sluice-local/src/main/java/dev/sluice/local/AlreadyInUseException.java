package dev.sluice.local;

/**
 * Another process (or another stack in this JVM) holds the data directory. Its message is the one line to show the
 * user, e.g. {@code another sluice stack is using ./.sluice (pid 4242)}.
 */
public final class AlreadyInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public AlreadyInUseException(String message) {
        super(message);
    }
}
