package io.benchlink.gateway.app;

/**
 * Kept only so the composition root ({@link Gateway}) compiles unchanged; the version provider of both programs
 * is {@link io.benchlink.common.cli.VersionProvider}.
 */
final class VersionProvider {
    private VersionProvider() {
    }

    static String version() {
        return io.benchlink.common.cli.VersionProvider.version();
    }
}
