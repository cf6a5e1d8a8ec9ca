package dev.switchboard.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.lifecycle.Startable;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A server for {@code @QuarkusTest}s: a container where Docker runs, the embedded server otherwise or
 * when the init argument {@value #EMBEDDED} is true. Subclasses say how to make either and which
 * configuration each one yields.
 *
 * @param <C> the container
 * @param <E> the embedded server
 */
abstract class ContainerOrEmbeddedTestResource<C extends Startable, E> implements QuarkusTestResourceLifecycleManager {

    /** Init argument: "true" to use the embedded server even where Docker runs, e.g. to restart it. */
    public static final String EMBEDDED = "embedded";
    /** Init argument: the container image. */
    public static final String IMAGE = "image";

    private final String defaultImage;
    private final Running<E> running;

    private boolean forceEmbedded;
    private String image;
    private C container;

    /** @param running the subclass's static holder, through which its tests reach the embedded server */
    ContainerOrEmbeddedTestResource(String defaultImage, Running<E> running) {
        this.defaultImage = defaultImage;
        this.running = running;
        this.image = defaultImage;
    }

    /** A container of {@code image}, configured but not started. */
    abstract C container(String image);

    abstract Map<String, String> containerConfig(C container);

    abstract E startEmbedded();

    abstract Map<String, String> embeddedConfig(E embedded);

    @Override
    public void init(Map<String, String> initArgs) {
        forceEmbedded = Boolean.parseBoolean(initArgs.get(EMBEDDED));
        image = initArgs.getOrDefault(IMAGE, defaultImage);
    }

    @Override
    public Map<String, String> start() {
        if (!forceEmbedded && DockerEngine.available()) {
            container = container(image);
            container.start();
            return containerConfig(container);
        }
        E embedded = startEmbedded();
        running.set(embedded);
        return embeddedConfig(embedded);
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
            container = null;
        }
        running.close();
    }

    /**
     * The embedded server a resource started. Quarkus creates the resource instances, so tests find the
     * server through a static accessor of the subclass, which keeps one of these.
     */
    static final class Running<E> {

        private final String absentMessage;
        private final Consumer<E> closer;
        private volatile E server;

        /**
         * @param what     the server as the error message names it, e.g. "embedded PostgreSQL"
         * @param resource the test resource, named in the error message
         * @param closer   stops the server and removes its data
         */
        Running(String what, Class<?> resource, Consumer<E> closer) {
            this.absentMessage = "no " + what + " runs: " + resource.getSimpleName() + " uses a container"
                    + " where Docker runs; give it initArgs @ResourceArg(name = \"" + EMBEDDED + "\", value = \"true\")";
            this.closer = closer;
        }

        /** @throws IllegalStateException if the server runs in a container, or not at all */
        E get() {
            E current = server;
            if (current == null) {
                throw new IllegalStateException(absentMessage);
            }
            return current;
        }

        private void set(E started) {
            server = started;
        }

        private void close() {
            E current = server;
            if (current != null) {
                closer.accept(current);
                server = null;
            }
        }
    }
}
