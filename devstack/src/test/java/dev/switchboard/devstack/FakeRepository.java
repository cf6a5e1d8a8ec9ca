package dev.switchboard.devstack;

import dev.switchboard.devstack.process.TinyService;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A repository whose three "built services" are {@link TinyService}s: the stack without the real services. */
final class FakeRepository {

    private FakeRepository() {
    }

    static Path create(Path root) throws IOException {
        for (String service : SwitchboardStack.SERVICES) {
            Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TinyService.class.getName());
            Path testClasses = Path.of(TinyService.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
                // The manifest is all it takes.
            }
        }
        return root;
    }
}
