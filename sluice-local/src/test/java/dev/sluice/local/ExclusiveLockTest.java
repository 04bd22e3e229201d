package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExclusiveLockTest {

    @TempDir
    Path directory;

    @Test
    void aLockHeldByAnotherProcessNamesItsPidAndIsFreedWhenThatProcessIsKilled() throws Exception {
        Path lockFile = directory.resolve("stack.lock");
        try (ChildJvm holder = ChildJvm.start(LockHolder.class, lockFile.toString(), directory.toString())) {
            String pid = holder.awaitLine("LOCKED ", Duration.ofSeconds(30));

            assertThatThrownBy(() -> ExclusiveLock.acquire(lockFile, "sluice stack", directory))
                    .isInstanceOf(AlreadyInUseException.class)
                    .hasMessage("another sluice stack is using " + directory + " (pid " + pid + ")");

            holder.kill();
        }
        ExclusiveLock.acquire(lockFile, "sluice stack", directory).close();
    }
}
