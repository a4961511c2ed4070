package io.benchlink.agent.testing;

import io.benchlink.agent.serial.NativeLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Loads jSerialComm's native library into the build's own directory, as the agent does into its private one. */
public final class NativeForTests {
    public static final Path DIR = Path.of("target", "jserialcomm-native").toAbsolutePath();

    private NativeForTests() {
    }

    public static void load() {
        try {
            NativeLibrary.load(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
