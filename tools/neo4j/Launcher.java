// Launcher runs an embedded Neo4j 5.26 (community) with Bolt on 127.0.0.1
// for development and tests, without Docker or a Neo4j distribution: the
// jars come from Maven Central (see pom.xml) and run.sh starts this file
// with `java -cp <classpath> Launcher.java`.
//
// Settings, from the environment (run.sh fills in the defaults):
//
//	NEO4J_DATA        the server's home folder (databases, transaction logs, logs)
//	NEO4J_BOLT_PORT   the Bolt port on 127.0.0.1 (default 7687)
//	NEO4J_PAGECACHE   page cache size (default 256m)
//	NEO4J_TX_MEMORY   memory limit of all transactions (default 1g)
//
// Authentication is off: the server listens on loopback only. The full-text
// (Lucene) indexes ship with the engine, analyzers such as `arabic` and
// `standard-no-stop-words` included.
//
// It prints "ready on bolt://127.0.0.1:PORT" once Bolt accepts connections,
// then blocks until SIGTERM or SIGINT, on which it shuts the database down
// cleanly and exits 0.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class Launcher {
    static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        String data = env("NEO4J_DATA", "data/neo4j");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        Path home = Path.of(data).toAbsolutePath();
        Files.createDirectories(home);
        if (portOpen(port)) {
            System.err.println("neo4j launcher: 127.0.0.1:" + port + " is already in use");
            System.exit(2);
        }

        long started = System.nanoTime();
        System.out.println("neo4j launcher: starting Neo4j " + neo4jVersion() + " in " + home + " (Java " + Runtime.version() + ")");
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(env("NEO4J_PAGECACHE", "256m")))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.parse(env("NEO4J_TX_MEMORY", "1g")))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .build();

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j launcher: shutting down");
            stop.countDown();
            try {
                dbms.shutdown();
                System.out.println("neo4j launcher: stopped");
            } catch (Throwable t) {
                System.err.println("neo4j launcher: shutdown failed: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        // The database is available once build() returns; wait for the Bolt
        // connector to accept connections before saying so.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!portOpen(port)) {
            if (System.nanoTime() > deadline) {
                System.err.println("neo4j launcher: Bolt did not open on 127.0.0.1:" + port + " within 60 s");
                System.exit(1);
            }
            Thread.sleep(100);
        }
        double secs = (System.nanoTime() - started) / 1e9;
        System.out.printf("neo4j launcher: ready on bolt://%s:%d (%.1f s)%n", HOST, port, secs);
        System.out.flush();
        stop.await();
        stopped.await();
    }

    static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "5.26" : v;
    }
}
