package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;

import com.github._1c_syntax.bsl.parser.BSLLexer;
import com.github._1c_syntax.bsl.parser.BSLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.antlr.v4.runtime.ANTLRErrorListener;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.IncrementalTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Parses every 1C module shipped in {@code docs/1c/*.bsl} with the 1C-syntax BSL grammar (the parser behind
 * BSL Language Server) and fails on any lexer or parser error, so a customer never copies a module that the
 * platform would reject as a syntax error. It checks syntax only: platform type and method names are not known
 * to the grammar (see docs/1c/README.ru.md on what is verified about the WebSocket API).
 */
class BslModulesParseTest {

    /** The gateway module's working directory during the build is {@code gateway/}. */
    private static final Path MODULES_DIR = Paths.get("..", "docs", "1c");

    @TestFactory
    Stream<DynamicTest> everyShippedModuleParsesWithoutSyntaxErrors() throws IOException {
        List<Path> modules = shippedModules();
        // No modules found would make every check vacuous: the path or the layout changed.
        assertThat(modules).as("BSL modules in %s", MODULES_DIR.toAbsolutePath().normalize()).isNotEmpty();
        return modules.stream().map(module -> DynamicTest.dynamicTest(module.getFileName().toString(),
                () -> assertThat(syntaxErrors(Files.readString(module, StandardCharsets.UTF_8), module.toString()))
                        .as("syntax errors in %s", module)
                        .isEmpty()));
    }

    @Test
    void everyShippedModuleIsListedInTheGuide() throws IOException {
        String guide = Files.readString(MODULES_DIR.resolve("README.ru.md"), StandardCharsets.UTF_8);

        assertThat(shippedModules()).allSatisfy(module ->
                assertThat(guide).as("README.ru.md lists %s", module.getFileName())
                        .contains("`" + module.getFileName() + "`"));
    }

    @Test
    void reportsAMissingEndIfAsASyntaxError() {
        String broken = "Процедура Проверка() Экспорт\n"
                + "\tЕсли Истина Тогда\n"
                + "\t\tВозврат;\n"
                + "КонецПроцедуры\n";

        assertThat(syntaxErrors(broken, "broken.bsl")).isNotEmpty();
    }

    @Test
    void reportsAStrayCharacterAsALexerError() {
        String broken = "Процедура Проверка() Экспорт\n\tА = 1 ` 2;\nКонецПроцедуры\n";

        assertThat(syntaxErrors(broken, "stray.bsl")).isNotEmpty();
    }

    @Test
    void acceptsAModuleWithAByteOrderMarkAsThePlatformExportsIt() {
        String module = "\uFEFFПроцедура Проверка() Экспорт\n\tВозврат;\nКонецПроцедуры\n";

        assertThat(syntaxErrors(module, "bom.bsl")).isEmpty();
    }

    private static List<Path> shippedModules() throws IOException {
        try (Stream<Path> files = Files.list(MODULES_DIR)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".bsl"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Lexes and parses {@code text} as a whole module; returns one line per error, "source:line:column message". */
    static List<String> syntaxErrors(String text, String sourceName) {
        // 1C writes UTF-8 with a BOM; the library's own Tokenizer skips it the same way before lexing.
        String source = text.startsWith("\uFEFF") ? text.substring(1) : text;
        ErrorCollector errors = new ErrorCollector(sourceName);

        BSLLexer lexer = new BSLLexer(CharStreams.fromString(source, sourceName));
        lexer.removeErrorListeners(); // drop the console listener: errors go to the assertion, not stderr
        lexer.addErrorListener(errors.lexerListener());

        BSLParser parser = new BSLParser(new IncrementalTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors.parserListener());
        parser.file();
        return errors.lines();
    }

    /**
     * Collects lexer and parser errors of one parse; confined to the test thread. The lexer reports offending
     * characters ({@code Integer} symbols), the parser offending tokens, hence two listener views.
     */
    private static final class ErrorCollector {
        private final String sourceName;
        private final List<String> lines = new ArrayList<>();

        ErrorCollector(String sourceName) {
            this.sourceName = sourceName;
        }

        ANTLRErrorListener<Integer> lexerListener() {
            return new ANTLRErrorListener<>() {
                @Override
                public <T extends Integer> void syntaxError(Recognizer<T, ?> recognizer, T offendingSymbol, int line,
                        int column, String msg, RecognitionException e) {
                    add(line, column, msg);
                }
            };
        }

        BaseErrorListener parserListener() {
            return new BaseErrorListener() {
                @Override
                public <T extends Token> void syntaxError(Recognizer<T, ?> recognizer, T offendingSymbol, int line,
                        int column, String msg, RecognitionException e) {
                    add(line, column, msg + (offendingSymbol == null ? "" : " near '" + offendingSymbol.getText() + "'"));
                }
            };
        }

        private void add(int line, int column, String msg) {
            lines.add(sourceName + ":" + line + ":" + column + " " + msg);
        }

        List<String> lines() {
            return lines;
        }
    }
}
