package dev.switchboard.room.migration;

import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The partition migration as a command, run with every room-service instance stopped (docs/operations.md):
 * <pre>
 * java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
 *      -cp 'room-service/target/quarkus-app/app/*:room-service/target/quarkus-app/lib/boot/*:room-service/target/quarkus-app/lib/main/*' \
 *      dev.switchboard.room.migration.GrowPartitions --partitions 64 [--bootstrap-servers HOST:PORT]
 *      [--group room-service] [--command-config client.properties] [--force]
 * </pre>
 * Exits 0 when done (or when there was nothing to do), 1 when it refused or failed, 2 on a wrong command line.
 */
public final class GrowPartitions {

    private static final String USAGE = """
            usage: GrowPartitions --partitions N [--bootstrap-servers HOST:PORT] [--group GROUP]
                                  [--command-config FILE] [--force]
              --partitions         the count room-commands and room-state grow to
              --bootstrap-servers  Kafka (default: the command config's, else $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092)
              --group              room-service's consumer group (default: $SWITCHBOARD_KAFKA_GROUP_ID, else room-service)
              --command-config     Kafka client properties, such as TLS or SASL settings
              --force              move commands room-service has not handled yet instead of refusing
            """;

    private GrowPartitions() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) {
        Map<String, String> options = new HashMap<>();
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--force")) {
                force = true;
            } else if (List.of("--partitions", "--bootstrap-servers", "--group", "--command-config").contains(arg)
                    && i + 1 < args.size()) {
                options.put(arg, args.get(++i));
            } else {
                System.err.print(USAGE);
                return 2;
            }
        }
        int partitions;
        try {
            partitions = Integer.parseInt(options.getOrDefault("--partitions", ""));
        } catch (NumberFormatException e) {
            System.err.print(USAGE);
            return 2;
        }
        try {
            Map<String, Object> client = clientConfig(options);
            String group = options.getOrDefault("--group", env("SWITCHBOARD_KAFKA_GROUP_ID", "room-service"));
            PartitionMigration.Result result = new PartitionMigration(client, group, System.out).growTo(partitions, force);
            System.out.printf("done: room-commands and room-state have %d partitions, %d rooms on their partitions."
                    + " Set SWITCHBOARD_KAFKA_PARTITIONS=%d on every service before starting room-service again.%n",
                    partitions, result.rooms(), partitions);
            return 0;
        } catch (PartitionMigration.Refused e) {
            System.err.println("refused: " + e.getMessage());
            return 1;
        } catch (RuntimeException | IOException e) {
            System.err.println("failed: " + e.getMessage() + "; what was done stays done: run it again");
            return 1;
        }
    }

    private static Map<String, Object> clientConfig(Map<String, String> options) throws IOException {
        Map<String, Object> config = new HashMap<>();
        String file = options.get("--command-config");
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            }
            properties.forEach((key, value) -> config.put(String.valueOf(key), value));
        }
        if (options.containsKey("--bootstrap-servers")) {
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.get("--bootstrap-servers"));
        }
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
        return config;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
