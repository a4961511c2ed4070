package io.benchlink.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the agent command line with captured output. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AgentMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error output as lines, without the trailing line break. */
    String[] errLines() {
        return err.strip().split("\\R");
    }
}
