package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** JVM errors that escape a command (picocli wraps only exceptions) end as one line and exit code 1. */
class MainErrorsTest {
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @CommandLine.Parameters
        String what;

        @Override
        public Integer call() {
            if (what.equals("oom")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return deep(0);
        }

        private static int deep(int n) {
            return deep(n + 1) + 1;
        }
    }

    @Test
    void outOfMemoryAndStackOverflowAreOneLineErrors() {
        for (String what : new String[] {"oom", "recurse"}) {
            StringWriter err = new StringWriter();
            PrintWriter pw = new PrintWriter(err, true);
            CommandLine cl = new CommandLine(new Boom());
            cl.setErr(pw);
            assertEquals(1, Main.execute(cl, pw, what), what);
            String text = err.toString();
            assertEquals(1, text.lines().count(), text);
            assertTrue(text.startsWith("ldm: "), text);
            assertTrue(text.contains(what.equals("oom") ? "out of memory" : "stack overflow"), text);
        }
    }
}
