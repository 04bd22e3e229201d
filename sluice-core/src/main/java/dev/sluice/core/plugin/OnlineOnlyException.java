package dev.sluice.core.plugin;

/**
 * Thrown by the context of an offline check ({@link Resources#offline}) where a part asks for what only a running
 * process has: a top-level section it would connect with, or a shared resource that needs a server. The part has
 * then been checked as far as anything can be without a connection; {@code sluice check} does the rest.
 */
public final class OnlineOnlyException extends RuntimeException {

    OnlineOnlyException(String what) {
        super(what + " is only opened online (sluice check, sluice run)", null, false, false);
    }
}
