package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports on 127.0.0.1 for servers that run as child processes (Postgres, Redis) and cannot report the port they
 * bound: one is picked before the start and checked free, so that a taken port fails with one clear line instead
 * of the server's own log.
 */
final class LoopbackPort {

    static final String HOST = "127.0.0.1";

    private LoopbackPort() {
    }

    /** A port that was free a moment ago. */
    static int free(String service) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port for " + service, e);
        }
    }

    /** @throws IllegalStateException {@code port N on 127.0.0.1 is already in use; <service> cannot start there} */
    static void requireFree(int port, String service) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + HOST + " is already in use; " + service
                    + " cannot start there", e);
        }
    }
}
