package dev.sluice.server;

/**
 * The playtime store could not be read and no snapshot young enough to serve instead was there; the API answers
 * 503 {@code {"error":"playtime store unavailable"}}.
 */
final class PlaytimeUnavailableException extends RuntimeException {

    PlaytimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
