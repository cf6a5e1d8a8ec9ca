package dev.switchboard.devstack;

import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.devstack.support.ShutdownActions;

import dev.switchboard.emulator.KurentoEmulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The one-command local run ({@code java -jar devstack/target/devstack-launcher.jar} from the repository
 * root, after a build): starts a {@link SwitchboardStack}, says where to connect, and stops it all
 * on Ctrl-C.
 */
public final class DevStack {

    private static final int EXIT_ON_SIGINT = 130;

    private volatile boolean stopping;
    private SwitchboardStack stack;

    private DevStack() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Before anything touches java.util.logging: Kafka and zonky log through SLF4J to it.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        if (args.length > 0) {
            boolean help = List.of("-h", "--help").contains(args[0]);
            (help ? System.out : System.err).println(usage());
            System.exit(help ? 0 : 2);
        }
        LauncherLogging.install();
        try {
            new DevStack().run(findRepositoryRoot(Path.of("").toAbsolutePath()));
        } catch (RuntimeException e) {
            System.err.println("devstack: " + (e.getMessage() != null ? e.getMessage() : e));
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    private static String usage() {
        return """
                Usage: java -jar devstack/target/devstack-launcher.jar   (from the repository root, after a build)

                Starts Kafka (9092), PostgreSQL (5432), the Kurento emulator (8888) and the three services
                (8080, 8081, 8082); a port that is taken is replaced by a free one. Set KMS_URL to use a real
                Kurento Media Server instead of the emulator. Logs and data go to .devstack/. Ctrl-C stops all.""";
    }

    static Path findRepositoryRoot(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir;
            if (SwitchboardStack.SERVICES.stream().allMatch(service -> Files.isDirectory(candidate.resolve(service)))) {
                return dir;
            }
        }
        throw new IllegalStateException("run me from the Switchboard repository: no "
                + String.join("/, ", SwitchboardStack.SERVICES) + "/ in " + from + " or above");
    }

    private void run(Path root) {
        stack = SwitchboardStack.start(SwitchboardStack.Options.local(root), DevStack::say);
        // Runs before the exit actions of the parts (registered earlier), stopping them in order and all
        // services at once. Ctrl-C during the start is left to those.
        ShutdownActions.register("devstack", this::stop);
        stack.services().forEach(this::reportUnexpectedExit);
        System.out.println(banner(root));
    }

    private static void say(String line) {
        System.out.println("devstack: " + line);
    }

    private void reportUnexpectedExit(ServiceProcess service) {
        service.onExit().thenAccept(exited -> {
            // Ctrl-C reaches the whole process group: a service may end on it before our own stop begins.
            if (!stopping && exited.exitCode() != EXIT_ON_SIGINT) {
                System.err.println("devstack: " + exited.name() + " exited with code " + exited.exitCode()
                        + "; the rest keeps running. End of " + exited.logFile() + ":\n" + exited.logTail(20));
            }
        });
    }

    private String banner(Path root) {
        String kms = stack.emulators().isEmpty() ? stack.kmsUrl() + "   (real Kurento Media Server, from KMS_URL)"
                : stack.kmsUrl() + "   (emulator; admin " + stack.emulators().stream().map(KurentoEmulator::adminUrl)
                        .collect(Collectors.joining(", ")) + ")";
        String logs = root.relativize(stack.logDir()) + "/" + stack.services().stream()
                .map(service -> service.logFile().getFileName().toString())
                .collect(Collectors.joining(",", "{", "}"));
        StringBuilder banner = new StringBuilder("\nSwitchboard is running.\n\n");
        stack.notes().forEach(note -> banner.append("  ").append(note).append('\n'));
        if (!stack.notes().isEmpty()) {
            banner.append('\n');
        }
        banner.append("""
                  Signaling (WebSocket)   %s
                  History API             %s/calls   (Swagger UI: %s/q/swagger-ui)
                  Room service admin      %s/admin/rooms
                  Kurento                 %s
                  Kafka                   %s
                  PostgreSQL              %s   (user %s, password %s)
                  Logs                    %s

                Get a token:
                  curl '%s/dev/token?user=alice&room=demo'

                Then talk to the gateway with websocat (or wscat -c):
                  websocat %s
                  {"jsonrpc":"2.0","id":1,"method":"joinRoom","params":{"roomId":"demo","token":"<token>","name":"Alice"}}

                Ctrl-C stops everything.
                """.formatted(stack.signalingUrl(), stack.historyUrl(), stack.historyUrl(), stack.roomServiceUrl(),
                kms, stack.kafka().bootstrapServers(), stack.postgres().jdbcUrl(), stack.postgres().username(),
                stack.postgres().password(), logs, stack.gatewayUrl(), stack.signalingUrl()));
        return banner.toString();
    }

    private void stop() {
        stopping = true;
        say("stopping...");
        stack.close();
        say("stopped.");
    }
}
