package dev.ldm.reliability;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * The shape of a bad-input case and the files the cases are made of: a case builds its inputs in
 * a folder of its own and names the command line to run and the file the error must name; the
 * runner checks {@link Expect#refused} and that nothing in the folder changed.
 */
final class Corpus {
    /** Builds a case's files in {@code dir} and returns the command to run. */
    @FunctionalInterface
    interface Setup {
        Call make(Path dir) throws Exception;
    }

    /** A command line and the file (or option) the error line must name. */
    record Call(List<String> args, String names) {
        static Call of(Object names, Object... args) {
            return new Call(Arrays.stream(args).map(String::valueOf).toList(), String.valueOf(names));
        }
    }

    /** One bad input: the error must give {@code code} and contain {@code problem}. */
    record Case(String name, Setup setup, int code, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Corpus() {}

    static Case bad(String name, String problem, Setup setup) {
        return new Case(name, setup, 2, problem);
    }

    /** Runs one case in its own folder below {@code root}. */
    static void check(Case c, Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-")));
        Call call = c.setup().make(dir);
        Map<String, String> before = Expect.files(dir);
        Ldm.Run r = Ldm.run(call.args().toArray(String[]::new));
        Expect.refused(r, c.code(), call.names(), c.problem());
        Expect.unchanged(dir, before, r);
    }

    /** A recursive copy of {@code from} into {@code to}. */
    static Path copy(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Rewrites a JSON file after {@code edit} changed its object. */
    static void editJson(Path file, Consumer<JsonObject> edit) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(o);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o));
    }

    /** A safetensors file from its raw parts: the 8-byte length as given, the header text, the data. */
    static byte[] safetensors(long declaredHeaderLength, String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLength).put(h);
        return b.array();
    }

    static byte[] safetensors(String header, int dataBytes) {
        return safetensors(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    /** A valid 8x8 PNG with {@code chunks} inserted before its IEND. */
    static byte[] pngWith(byte[]... chunks) {
        byte[] png = BadImages.valid("png");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, png.length - 12);
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        out.write(png, png.length - 12, 12);
        return out.toByteArray();
    }

    static byte[] text(String keyword, String text) {
        return BadImages.chunk("tEXt", concat(latin1(keyword), new byte[] {0}, latin1(text)));
    }

    static byte[] ztxt(String keyword, byte[] inflated) {
        return BadImages.chunk("zTXt", concat(latin1(keyword), new byte[] {0, 0}, deflate(inflated)));
    }

    static byte[] itxt(String keyword, boolean compressed, byte[] payload) {
        return BadImages.chunk("iTXt", concat(latin1(keyword), new byte[] {0, (byte) (compressed ? 1 : 0), 0, 0, 0},
                payload));
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
