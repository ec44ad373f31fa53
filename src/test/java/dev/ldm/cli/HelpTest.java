package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every option of every command says what it does in {@code --help}. */
class HelpTest {
    @Test
    void everyOptionOfEveryCommandHasADescription() {
        CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> bare = new ArrayList<>();
        collect(root, bare);
        assertEquals(List.of(), bare, "options without a description");
    }

    private static void collect(CommandLine cmd, List<String> bare) {
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            String text = String.join(" ", o.description()).strip();
            if (text.isEmpty()) {
                bare.add(cmd.getCommandSpec().qualifiedName() + " " + o.longestName());
            }
        }
        cmd.getSubcommands().values().forEach(sub -> collect(sub, bare));
    }
}
