package io.leadflow.localstack.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The local stack's data directory: {@code kafka/} (the broker's log directory: topics, offsets, the
 * {@code _schemas} store), {@code state/<service>/} (Kafka Streams state) and {@code sandbox/} (the
 * HubSpot and Slack sandboxes). One stack at a time may use it: a lock file says so.
 */
public final class DataDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates (or, with {@code reset}, wipes and recreates) the directory and locks it. */
    public static DataDirectory open(Path dir, boolean reset) {
        Path root = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Another local stack is using " + root
                        + "; stop it first, or start this one with --data-dir <another directory> --random-ports");
            }
            if (reset) {
                wipeContents(root);
                log.info("Wiped {} (--reset)", root);
            }
            DataDirectory data = new DataDirectory(root, channel, lock);
            Files.createDirectories(data.kafka());
            Files.createDirectories(data.sandbox());
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use the data directory " + root + ": " + e.getMessage(), e);
        }
    }

    private static void wipeContents(Path root) throws IOException {
        try (var children = Files.list(root)) {
            for (Path child : children.toList()) {
                if (!child.getFileName().toString().equals(".lock")) {
                    deleteRecursively(child);
                }
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public Path root() {
        return root;
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path sandbox() {
        return root.resolve("sandbox");
    }

    /** Kafka Streams state of one service. */
    public Path state(String service) {
        return root.resolve("state").resolve(service);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
