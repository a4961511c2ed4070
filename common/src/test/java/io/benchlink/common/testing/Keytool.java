package io.benchlink.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The JDK's keytool for test certificates (no certificate is checked in); shared by the gateway's and agent's tests. */
public final class Keytool {
    private Keytool() {
    }

    /** A self-signed EC key and certificate for localhost / 127.0.0.1 in a PKCS12 keystore, and its PEM export. */
    public static void selfSigned(Path keystore, Path pem, String password, int validityDays) throws IOException {
        run("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-validity",
                Integer.toString(validityDays), "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        run("-exportcert", "-rfc", "-alias", "gateway", "-keystore", keystore.toString(), "-storepass", password,
                "-file", pem.toString());
    }

    /** Runs keytool with {@code args}; throws with its output when it fails. */
    public static void run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for keytool", e);
        }
    }
}
