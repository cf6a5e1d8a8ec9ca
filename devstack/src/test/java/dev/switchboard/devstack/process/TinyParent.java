package dev.switchboard.devstack.process;

import java.nio.file.Path;
import java.time.Duration;

/** Starts a {@link TinyService} as its child, prints the child's pid, then waits to be stopped. */
public final class TinyParent {

    public static final String CHILD_PID = "child pid ";

    private TinyParent() {
    }

    public static void main(String[] args) throws Exception {
        ServiceProcess child = ServiceProcess.builder("tiny-child")
                .mainClass(System.getProperty("java.class.path"), TinyService.class.getName())
                .logFile(Path.of(args[0]))
                .start();
        child.awaitReady(Duration.ofSeconds(30));
        System.out.println(CHILD_PID + child.pid());
        // Ready only once the child is: the test polls this port.
        TinyService.main(new String[0]);
        Thread.currentThread().join();
    }
}
