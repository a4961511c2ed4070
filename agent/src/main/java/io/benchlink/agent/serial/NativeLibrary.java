package io.benchlink.agent.serial;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads jSerialComm's native library from a directory private to the agent. By default jSerialComm extracts it
 * into a world-writable {@code /tmp/jSerialComm} and loads any file already there, so on a shared
 * rig PC another user could plant one. jSerialComm reads {@code java.io.tmpdir} once, in its static initialiser,
 * so we point it at our directory only for the moment the class initialises, then restore it.
 *
 * <p>JVM-wide by nature (a native library loads once per JVM): the first call wins, later calls are no-ops.
 */
public final class NativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);
    private static final String SERIAL_PORT_CLASS = "com.fazecast.jSerialComm.SerialPort";
    private static Path loadedFrom;

    private NativeLibrary() {
    }

    /** Prepares {@code dir} (owner-only on POSIX) and initialises jSerialComm from it; idempotent. */
    public static synchronized void load(Path dir) throws IOException {
        if (loadedFrom != null) {
            return;
        }
        Path absolute = dir.toAbsolutePath();
        createPrivate(absolute);
        String previous = System.getProperty("java.io.tmpdir");
        System.setProperty("fazecast.jSerialComm.appid", "benchlink-agent");
        System.setProperty("java.io.tmpdir", absolute.toString());
        try {
            Class.forName(SERIAL_PORT_CLASS, true, NativeLibrary.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IOException("cannot load jSerialComm: " + e, e);
        } finally {
            System.setProperty("java.io.tmpdir", previous);
        }
        loadedFrom = absolute;
        if (!containsLibrary(absolute) && System.getProperty("jSerialComm.library.path") == null) {
            LOG.warn("jSerialComm native library was not extracted into {} (already loaded elsewhere?)", absolute);
        }
    }

    /** The directory the library was loaded from, or null before {@link #load}. */
    public static synchronized Path loadedFrom() {
        return loadedFrom;
    }

    static boolean containsLibrary(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("jSerialComm"), 6)) {
            return files.anyMatch(p -> p.getFileName().toString().contains("jSerialComm")
                    && Files.isRegularFile(p));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static void createPrivate(Path dir) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        if (posix) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
