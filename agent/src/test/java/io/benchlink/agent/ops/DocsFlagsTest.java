package io.benchlink.agent.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.benchlink.agent.cli.AgentMain;
import io.benchlink.gateway.app.GatewayMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code --flag} that README.md and docs/*.md name exists: in a program's picocli spec (gateway or agent, any
 * subcommand), in one of the repository's scripts, or in the short list of other tools' flags below. Every config
 * key in the configuration tables of docs/OPERATIONS.md exists in the matching example config. A renamed or
 * misspelt flag in the docs (once {@code --retention} for {@code --retention-days}) fails here.
 */
class DocsFlagsTest {
    private static final Path REPO = InstallScriptIT.REPO;
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![\\w-])");
    /** Flags of other programs that the docs show; each with the program it belongs to. */
    private static final Map<String, String> OTHER_TOOLS = Map.ofEntries(
            Map.entry("scenario", "the peers' benchmark kit (compare.sh), docs/PERFORMANCE.md"),
            Map.entry("runs", "the peers' benchmark kit (compare.sh)"),
            Map.entry("targets", "the peers' benchmark kit (compare.sh)"),
            Map.entry("quiet-wait", "the peers' benchmark kit (compare.sh)"),
            Map.entry("pin", "the peers' benchmark kit (compare.sh)"),
            Map.entry("label", "the peers' benchmark kit (compare.sh)"),
            Map.entry("out", "the peers' benchmark kit (compare.sh)"),
            Map.entry("benchlink-cmd", "the peers' benchmark kit (compare.sh)"),
            Map.entry("target", "the peers' benchmark kit (load.js)"),
            Map.entry("subs", "the peers' benchmark kit (load.js)"),
            Map.entry("filter", "the peers' benchmark kit (load.js)"),
            Map.entry("devices", "the peers' benchmark kit (load.js)"),
            Map.entry("rate", "the peers' benchmark kit (load.js)"),
            Map.entry("seconds", "the peers' benchmark kit (load.js)"),
            Map.entry("warmup", "the peers' benchmark kit (load.js)"),
            Map.entry("server-pid", "the peers' benchmark kit (load.js)"));
    /** Keys the readers accept besides those the examples show: the single-gateway form of {@code gateways}. */
    private static final Set<String> KEY_ALIASES = Set.of("gateway");

    @Test
    void everyFlagTheDocsNameExists() throws IOException {
        Set<String> known = new TreeSet<>();
        known.addAll(options(GatewayMain.commandLine()));
        known.addAll(options(new CommandLine(new AgentMain())));
        String scripts = scriptsText();
        List<String> unknown = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains("-->")) {
                    continue; // the architecture diagrams draw arrows, not flags
                }
                Matcher m = FLAG.matcher(line);
                while (m.find()) {
                    String flag = m.group(1);
                    if (!known.contains("--" + flag) && !OTHER_TOOLS.containsKey(flag)
                            && !Pattern.compile("(?<![\\w-])--" + Pattern.quote(flag) + "(?![\\w-])")
                                    .matcher(scripts).find()) {
                        unknown.add(REPO.relativize(doc) + ":" + (i + 1) + " --" + flag);
                    }
                }
            }
        }
        assertThat(unknown).as("flags named in the docs that no program or script knows").isEmpty();
    }

    @Test
    void theFlagScanFindsAFlagNoProgramKnows() {
        // the scan itself: a doc line like the one that once named --retention is caught
        Matcher m = FLAG.matcher("purged after the retention period (`--retention`) and gone");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("retention");
        Set<String> known = options(GatewayMain.commandLine());
        assertThat(known).contains("--retention-days").doesNotContain("--retention");
    }

    @Test
    void everyConfigKeyInTheOperationsTablesIsInTheExampleConfig() throws IOException {
        Set<String> gatewayKeys = keys(REPO.resolve("docs/examples/gateway.example.json"));
        Set<String> agentKeys = keys(REPO.resolve("docs/examples/agent.example.json"));
        agentKeys.addAll(KEY_ALIASES);
        List<String> unknown = new ArrayList<>();
        Set<String> current = null;
        Pattern row = Pattern.compile("^\\|([^|]*)\\|");
        Pattern key = Pattern.compile("`([a-z][a-z0-9_]*)`");
        List<String> lines = Files.readAllLines(REPO.resolve("docs/OPERATIONS.md"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                current = line.contains("gateway.json") ? gatewayKeys : line.contains("agent.json") ? agentKeys
                        : line.startsWith("### ") && current != null ? current : null;
                continue;
            }
            Matcher cells = row.matcher(line);
            if (current == null || !cells.find()) {
                continue;
            }
            Matcher k = key.matcher(cells.group(1));
            while (k.find()) {
                if (!current.contains(k.group(1))) {
                    unknown.add("docs/OPERATIONS.md:" + (i + 1) + " " + k.group(1));
                }
            }
        }
        assertThat(unknown).as("config keys in docs/OPERATIONS.md missing from the example configs").isEmpty();
    }

    private static Set<String> options(CommandLine cli) {
        Set<String> names = new TreeSet<>();
        collect(cli.getCommandSpec(), names);
        return names;
    }

    private static void collect(CommandSpec spec, Set<String> names) {
        for (OptionSpec option : spec.options()) {
            names.addAll(List.of(option.names()));
        }
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), names));
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static String scriptsText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(REPO.resolve("scripts"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return text.toString();
    }

    /** Every object key at any depth of a JSON file. */
    private static Set<String> keys(Path file) throws IOException {
        Set<String> keys = new TreeSet<>();
        collectKeys(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)), keys);
        return keys;
    }

    private static void collectKeys(JsonElement element, Set<String> keys) {
        if (element.isJsonObject()) {
            JsonObject object = element.getAsJsonObject();
            object.entrySet().forEach(e -> {
                keys.add(e.getKey());
                collectKeys(e.getValue(), keys);
            });
        } else if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(e -> collectKeys(e, keys));
        }
    }
}
