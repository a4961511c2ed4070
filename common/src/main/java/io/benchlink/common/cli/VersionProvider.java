package io.benchlink.common.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} of both programs: {@code benchlink PROGRAM VERSION}, the version Maven wrote into each
 * application's {@code benchlink-version.properties} at build time ("unknown" when run from a bare class path).
 */
public final class VersionProvider implements IVersionProvider {
    @Spec
    CommandSpec spec;

    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/benchlink-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"benchlink " + spec.root().name() + " " + version()};
    }
}
