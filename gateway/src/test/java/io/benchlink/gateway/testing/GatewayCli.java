package io.benchlink.gateway.testing;

import io.benchlink.gateway.app.GatewayMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the gateway's command line in-process with its output captured, as a user would see it. */
public final class GatewayCli {
    private GatewayCli() {
    }

    /** Exit code and what the command printed on stdout and stderr. */
    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatewayMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
