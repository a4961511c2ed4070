package io.benchlink.agent.cli;

import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.config.AgentConfigReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agent check-config}: validates a config file (profiles included) without opening anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate an agent config file and its profiles; exit 0 if usable, 2 with the reason if not.")
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private AgentMain parent;

    @Option(names = "--config", paramLabel = "FILE", description = "Agent config JSON file (required; may also come"
            + " before the command).")
    private Path config;

    @Override
    public Integer call() {
        Path file = parent.config(config);
        if (file == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        AgentConfig parsed = AgentConfigReader.fromFile(file);
        spec.commandLine().getOut().printf("config OK: agent %s, %d device(s): %s%n", parsed.agentId(),
                parsed.devices().size(), String.join(", ", parsed.deviceIds()));
        return 0;
    }
}
