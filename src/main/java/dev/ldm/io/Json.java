package dev.ldm.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.ldm.LdmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON through Gson (already a dependency of DJL). Records are read and written by field name. */
public final class Json {
    /** Largest JSON file ldm will read (configs and manifests are a few KB). */
    public static final long MAX_BYTES = 16L << 20;

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private Json() {}

    public static Gson gson() {
        return COMPACT;
    }

    public static String pretty(Object value) {
        return PRETTY.toJson(value);
    }

    public static String compact(Object value) {
        return COMPACT.toJson(value);
    }

    public static <T> T parse(String text, Class<T> type, String what) {
        try {
            T value = COMPACT.fromJson(text, type);
            if (value == null) {
                throw LdmException.badInput(what + ": empty JSON");
            }
            return value;
        } catch (LdmException e) {
            throw e;
        } catch (RuntimeException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof LdmException le) {
                    throw LdmException.badInput(what + ": " + le.getMessage(), le);
                }
            }
            throw LdmException.badInput(what + ": malformed JSON (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        return parse(readText(file), type, file.toString());
    }

    public static String readText(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw LdmException.badInput(file + ": JSON file too large (" + size + " bytes)");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw LdmException.badInput(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, pretty(value) + "\n");
    }

    /**
     * The first line of a parser's message without the exception class names Gson prefixes to it
     * ("java.io.EOFException: End of input at line 1 ..." becomes "End of input at line 1 ...").
     */
    public static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.replaceAll("^(?:[\\w$]+\\.)*[\\w$]+(?:Exception|Error): ", "");
    }
}
