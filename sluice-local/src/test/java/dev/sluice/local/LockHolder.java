package dev.sluice.local;

import java.nio.file.Path;

/** Main class of a child JVM that takes a stack lock and keeps it until killed. */
final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        ExclusiveLock.acquire(Path.of(arguments[0]), "sluice stack", Path.of(arguments[1]));
        System.out.println("LOCKED " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
