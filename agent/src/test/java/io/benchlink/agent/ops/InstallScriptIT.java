package io.benchlink.agent.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/install.sh into a throwaway root: the layout, the service paths in the installed configs, configs that the
 * installed jars accept, a second run that keeps an edited config, and the unit files through systemd-analyze.
 */
@Timeout(120)
class InstallScriptIT {
    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
    static final Path AGENT_JAR = REPO.resolve("agent/target/benchlink-agent.jar");

    @TempDir
    Path root;

    record Run(int code, String output) {
    }

    static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes(); // ends when the process closes its output
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not finish: " + command);
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private Run install() throws Exception {
        return run(REPO, List.of("bash", "scripts/install.sh", "--root", root.toString()));
    }

    @Test
    void installsJarsUnitsConfigsAndDirectoriesIntoTheRootAndOnlyPrintsTheAccountSteps() throws Exception {
        assertThat(AGENT_JAR).as("the agent jar, packaged before this module's integration tests").exists();
        Run first = install();
        assertThat(first.code()).as(first.output()).isZero();
        for (String path : List.of("opt/benchlink/benchlink-gateway.jar", "opt/benchlink/benchlink-agent.jar",
                "opt/benchlink/docs/OPERATIONS.md", "etc/benchlink/gateway.json", "etc/benchlink/agent.json",
                "etc/benchlink/gateway.example.json", "etc/benchlink/agent.example.json",
                "etc/systemd/system/benchlink-gateway.service", "etc/systemd/system/benchlink-agent.service")) {
            assertThat(root.resolve(path)).as(path).isRegularFile();
        }
        for (String dir : List.of("var/lib/benchlink/gateway", "var/lib/benchlink/agent", "var/log/benchlink")) {
            assertThat(root.resolve(dir)).as(dir).isDirectory();
        }
        assertThat(first.output()).contains("would now run", "useradd --system", "usermod -a -G dialout benchlink");
        assertThat(Files.readString(root.resolve("etc/benchlink/gateway.json")))
                .contains("\"data_dir\": \"/var/lib/benchlink/gateway/data\"");
        assertThat(Files.readString(root.resolve("etc/benchlink/agent.json")))
                .contains("\"spool_dir\": \"/var/lib/benchlink/agent/spool\"",
                        "\"native_dir\": \"/var/lib/benchlink/agent/native\"");

        Run gateway = run(root, List.of(java(), "-jar", "opt/benchlink/benchlink-gateway.jar",
                "--config", "etc/benchlink/gateway.json", "check-config"));
        assertThat(gateway.code()).as(gateway.output()).isZero();
        Run agent = run(root, List.of(java(), "-jar", "opt/benchlink/benchlink-agent.jar",
                "check-config", "--config", "etc/benchlink/agent.json"));
        assertThat(agent.code()).as(agent.output()).isZero();
    }

    @Test
    void aSecondInstallKeepsAnEditedConfig() throws Exception {
        assertThat(AGENT_JAR).as("the agent jar, packaged before this module's integration tests").exists();
        assertThat(install().code()).isZero();
        Path config = root.resolve("etc/benchlink/agent.json");
        Files.writeString(config, Files.readString(config).replace("rig-07", "rig-99"));
        Run again = install();
        assertThat(again.code()).as(again.output()).isZero();
        assertThat(again.output()).contains("kept existing");
        assertThat(Files.readString(config)).contains("rig-99");
    }

    @Test
    void unitFilesPassSystemdAnalyzeVerifyWithoutWarnings() throws Exception {
        boolean present = run(REPO, List.of("sh", "-c", "command -v systemd-analyze")).code() == 0;
        assumeTrue(present, "systemd-analyze is not installed here: unit files not verified");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        command.add(REPO.resolve("scripts/systemd/benchlink-gateway.service").toString());
        command.add(REPO.resolve("scripts/systemd/benchlink-agent.service").toString());
        Run verify = run(REPO, command);
        assertThat(verify.code()).as(verify.output()).isZero();
        // verify exits 0 on an unknown or misspelt setting and only prints it: any output is a finding
        assertThat(verify.output()).isBlank();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
