package io.benchlink.gateway.config;

/**
 * One option out of its range, named as a flag ({@code --port}). The command line knows whether the value came
 * from a flag or from the config file and rephrases it with the file key ({@link #inFile}).
 */
public final class InvalidOption extends ConfigException {
    private final String option;
    private final String rule;
    private final Object value;

    public InvalidOption(String option, Object value, String rule) {
        super(option + " " + rule + " (got " + value + ")");
        this.option = option;
        this.rule = rule;
        this.value = value;
    }

    public String option() {
        return option;
    }

    /** The same fault naming where the value really is: {@code port in /etc/benchlink/gateway.json}. */
    public ConfigException inFile(String key) {
        return new ConfigException(key + " " + rule + " (got " + value + ")");
    }
}
