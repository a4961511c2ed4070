package io.benchlink.agent.cli;

import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.config.AgentConfigReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agent check-config}: validates a config file (profiles included) without opening anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate an agent config file and its profiles; exit 0 if usable, 2 with the reason if not.")
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Agent config JSON file.")
    private Path config;

    @Override
    public Integer call() {
        AgentConfig parsed = AgentConfigReader.fromFile(config);
        spec.commandLine().getOut().printf("config OK: agent %s, %d device(s): %s%n", parsed.agentId(),
                parsed.devices().size(), String.join(", ", parsed.deviceIds()));
        return 0;
    }
}
