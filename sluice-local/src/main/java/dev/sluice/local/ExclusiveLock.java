package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An operating-system lock on a file, holding the owner's pid, so that two stacks never share one data directory.
 * The operating system drops the lock when its process dies, even by SIGKILL, so a crash never leaves it stale.
 */
final class ExclusiveLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private ExclusiveLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails with {@code another <owner> is using <directory> (pid N)}.
     *
     * @param lockFile  the file to lock; created with its parent directories when missing
     * @param owner     what holds the lock, in the user's words, e.g. "sluice stack"
     * @param directory the directory the lock protects, as the user gave it
     */
    static ExclusiveLock acquire(Path lockFile, String owner, Path directory) {
        FileChannel channel = null;
        try {
            Path parent = lockFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            channel = FileChannel.open(lockFile,
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = readPid(channel);
                channel.close();
                throw new AlreadyInUseException("another " + owner + " is using " + directory + " (pid " + holder + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new ExclusiveLock(channel, lock);
        } catch (IOException e) {
            closeAfterFailure(channel, e);
            throw new UncheckedIOException("could not lock " + lockFile, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    private static String readPid(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        return pid.isEmpty() ? "unknown" : pid;
    }

    private static void closeAfterFailure(FileChannel channel, IOException failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release lock", e);
        }
    }
}
