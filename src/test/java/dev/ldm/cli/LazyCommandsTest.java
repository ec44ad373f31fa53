package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run that names its command gets that command alone (picocli reads only its annotations), and
 * parses and prints exactly what the command line with every command would; any other first
 * argument gets every command.
 */
class LazyCommandsTest {
    @Test
    void theTableNamesEveryCommandByItsOwnName() {
        for (String name : LdmCommand.NAMES) {
            Object command = LdmCommand.command(name);
            assertEquals(name, command.getClass().getAnnotation(CommandLine.Command.class).name());
        }
        CommandLine all = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertEquals(LdmCommand.NAMES, List.copyOf(all.getSubcommands().keySet()));
        assertEquals(null, LdmCommand.command("no-such-command"));
    }

    private record Printed(int code, String out, String err) {}

    private static Printed run(boolean lazy, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = lazy ? Main.commandLine(o, e, args) : Main.commandLine(o, e);
        int code = Main.execute(cl, e, args);
        return new Printed(code, out.toString(), err.toString());
    }

    @Test
    void aNamedCommandAloneBehavesAsWithEveryCommand() {
        String[][] cases = {{"generate", "--help"}, {"generate", "--steps", "x", "a fox"}, {"info", "--help"},
            {"vae", "train", "--help"}, {"generat", "a fox"}, {"--help"}, {"--version"}, {}};
        for (String[] args : cases) {
            Printed lazy = run(true, args);
            Printed all = run(false, args);
            assertEquals(all, lazy, String.join(" ", args));
        }
        assertEquals(1, Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new String[] {"generate"}).getSubcommands().size());
        Printed misspelt = run(true, "generat", "a fox");
        assertEquals(2, misspelt.code());
        assertTrue(misspelt.err().contains("'generat'"), misspelt.err());
    }
}
