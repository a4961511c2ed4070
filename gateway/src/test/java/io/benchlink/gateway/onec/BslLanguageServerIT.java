package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs BSL Language Server ({@code --analyze}, the version pinned in the parent pom, copied into
 * {@code target/bsl-language-server} by maven-dependency-plugin) over the shipped 1C modules with the checked-in
 * {@code docs/1c/.bsl-language-server.json}, and fails on every diagnostic not listed in {@link #ALLOWED}. A probe
 * module with known faults is analysed in the same run, so a gate that sees nothing (wrong directory, reporter
 * change) fails too. What this proves: the modules parse and pass the analyser's checks. What it does not: that
 * platform types and methods exist or behave as used (the analyser does not know the platform's API).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BslLanguageServerIT {
    private static final Path MODULES_DIR = Paths.get("..", "docs", "1c");
    private static final Path JAR = Paths.get("target", "bsl-language-server", "bsl-language-server-exec.jar");
    private static final String PROBE = "Probe.bsl";

    /** Diagnostics accepted in the shipped modules, each with the reason. Nothing else is. */
    private static final Map<String, String> ALLOWED = Map.of(
            "MagicNumber", "the numbers are the contract's own (close codes 4400/4401/1013, HTTP 200/400/401, the"
                    + " 26-character time format, backoff 60 s): a named constant per number would hide the contract"
                    + " value the reader compares with docs/PROTOCOL.md");

    /** A module with one deprecated method, one missing parameter description and one Latin-Cyrillic name. */
    private static final String PROBE_TEXT = "// Проверка.\n"
            + "//\n"
            + "// Параметры:\n"
            + "//\n"
            + "Процедура ПроверкаMACАдрес(Значение) Экспорт\n"
            + "\tПопытка\n"
            + "\t\tЗначение = 1;\n"
            + "\tИсключение\n"
            + "\t\tЗначение = КраткоеПредставлениеОшибки(ИнформацияОбОшибке());\n"
            + "\tКонецПопытки;\n"
            + "КонецПроцедуры\n";

    @TempDir
    Path work;

    @Test
    void shippedModulesHaveNoDiagnosticBeyondTheAllowedOnes() throws Exception {
        assertThat(JAR).as("the BSL Language Server jar (copied by `./mvnw verify`, phase process-test-resources)")
                .isRegularFile();
        Path sources = work.resolve("src");
        Files.createDirectories(sources);
        List<Path> shipped = copyModules(sources);
        assertThat(shipped).as("modules in %s", MODULES_DIR.toAbsolutePath().normalize()).isNotEmpty();
        Files.writeString(sources.resolve(PROBE), PROBE_TEXT, StandardCharsets.UTF_8);

        Map<String, List<String>> diagnostics = analyse(sources);

        assertThat(diagnostics.get(PROBE)).as("the analyser reports the probe's known faults")
                .extracting(code -> code.split(" ")[0])
                .contains("DeprecatedMethods8317", "MissingParameterDescription", "LatinAndCyrillicSymbolInWord");
        List<String> refused = new ArrayList<>();
        for (Path module : shipped) {
            String name = module.getFileName().toString();
            assertThat(diagnostics).as("the analyser read %s", name).containsKey(name);
            diagnostics.get(name).stream().filter(code -> !ALLOWED.containsKey(code.split(" ")[0]))
                    .forEach(code -> refused.add(name + ": " + code));
        }
        assertThat(refused).as("diagnostics of BSL Language Server not allowed in %s", ALLOWED.keySet()).isEmpty();
    }

    private static List<Path> copyModules(Path target) throws IOException {
        List<Path> copied = new ArrayList<>();
        try (Stream<Path> files = Files.list(MODULES_DIR)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".bsl")).sorted()::iterator) {
                copied.add(Files.copy(file, target.resolve(file.getFileName())));
            }
        }
        return copied;
    }

    /** Runs the analyser; returns, per file name, "Code line" for every diagnostic. */
    private Map<String, List<String>> analyse(Path sources) throws Exception {
        Path out = Files.createDirectories(work.resolve("out"));
        Path log = work.resolve("bsl-language-server.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: a short batch run, about half the CPU of the defaults.
        Process process = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", JAR.toString(), "--analyze",
                "--srcDir", sources.toString(),
                "--configuration", MODULES_DIR.resolve(".bsl-language-server.json").toString(),
                "--reporter", "json", "--outputDir", out.toString(), "-q")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("analyser finished; log in %s", log).isTrue();
        // The analyser exits 0 even when it reports errors: the JSON report is the verdict.
        assertThat(process.exitValue()).as("analyser exit code; log: %s", Files.readString(log)).isZero();

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("bsl-json.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        Map<String, List<String>> byFile = new TreeMap<>();
        for (JsonElement file : report.getAsJsonArray("fileinfos")) {
            JsonObject info = file.getAsJsonObject();
            String path = info.get("path").getAsString(); // a file: URI
            String name = path.substring(path.lastIndexOf('/') + 1);
            List<String> codes = byFile.computeIfAbsent(name, n -> new ArrayList<>());
            for (JsonElement diagnostic : info.getAsJsonArray("diagnostics")) {
                JsonObject d = diagnostic.getAsJsonObject();
                int line = d.getAsJsonObject("range").getAsJsonObject("start").get("line").getAsInt() + 1;
                codes.add(d.get("code").getAsString() + " line " + line + ": " + d.get("message").getAsString());
            }
        }
        return byFile;
    }
}
