package dev.ldm.reliability;

import static dev.ldm.reliability.Corpus.bad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.batch.BatchManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rest of the bad-input corpus: prompt files for {@code ldm batch}, PNGs with malformed or
 * hostile metadata for {@code ldm generate --from-png}, and numeric options out of range, NaN or
 * infinite for every command. Each is refused with exit 2, one line naming the file (or option)
 * and the problem, and no file written.
 */
class BadInputCorpusTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void buildModel() {
        model = tmp.resolve("tiny");
        TestModels.tiny(model);
    }

    static Stream<Corpus.Case> corpus() {
        return Stream.of(promptFiles(), fromPng(), numbers()).flatMap(s -> s);
    }

    /** {@code ldm batch FILE} on a prompt file with these bytes. */
    static Corpus.Setup batch(byte[] bytes) {
        return dir -> {
            Path file = Files.write(dir.resolve("prompts.txt"), bytes);
            return Corpus.Call.of(file, "batch", file, "--model", model, "--steps", "1", "--out", dir.resolve("out"));
        };
    }

    static Corpus.Setup batch(String text) {
        return batch(text.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Corpus.Case> promptFiles() {
        return Stream.of(
                bad("prompt file in Latin-1, not UTF-8", "not valid UTF-8",
                        batch("a caf\u00e9 by the sea\n".getBytes(StandardCharsets.ISO_8859_1))),
                bad("prompt file with a 100000-character line", "prompts.txt:2: prompt is longer than 10000",
                        batch("a fox\n" + "fox ".repeat(25_000) + "\n")),
                bad("prompt line with an unknown override", "prompts.txt:1: unknown option '--colour'",
                        batch("a fox --colour red\n")),
                bad("prompt line with --cfg NaN", "prompts.txt:1: --cfg must be a finite number",
                        batch("a fox --cfg NaN\n")),
                bad("prompt line with --steps 1e9", "'1e9' is not a whole number", batch("a fox --steps 1e9\n")),
                bad("prompt line with --cfg-interval 0,2", "prompts.txt:1: --cfg-interval must be FROM,TO",
                        batch("a fox --cfg-interval 0,2\n")),
                bad("prompt line with an unclosed quote", "unclosed double quote",
                        batch("a fox --negative \"blue sky\n")),
                bad("prompt line with --seed twice", "--seed is given twice", batch("a fox --seed 1 --seed 2\n")),
                bad("prompt line with terminal escapes in an option", "unknown option '--x\\x1b]0;owned\\x07'",
                        batch("a fox --x\u001b]0;owned\u0007 1\n")),
                bad("JSON prompt line that is cut short", "prompts.txt:1: malformed JSON",
                        batch("{\"prompt\": \"a fox\", \"seed\": \n")),
                bad("JSON prompt line with an unknown field", "unknown field 'colour'",
                        batch("{\"prompt\": \"a fox\", \"colour\": \"red\"}\n")),
                bad("JSON prompt line whose prompt is a number", "field 'prompt' must be a string",
                        batch("{\"prompt\": 42}\n")),
                bad("prompt file of comments only", "no prompts", batch("\uFEFF# nothing\r\n\r\n")),
                bad("init image path leaving the batch folder", "not a supported image", dir -> {
                    Files.writeString(dir.resolve("secret.txt"), "password\n");
                    Path sub = Files.createDirectories(dir.resolve("batches"));
                    Path file = Files.writeString(sub.resolve("prompts.txt"), "a fox --init-image ../secret.txt\n");
                    return Corpus.Call.of(sub.resolve("../secret.txt"), "batch", file, "--model", model, "--out",
                            dir.resolve("out"));
                }),
                bad("init image /dev/zero", "not a regular file", batch("a fox --init-image /dev/zero\n")),
                bad("prompt file that is a folder", "is a folder", dir -> Corpus.Call.of(dir, "batch", dir,
                        "--model", model, "--out", dir.resolve("out"))),
                bad("prompt file /dev/zero (endless)", "larger than 64 MB", dir -> Corpus.Call.of("/dev/zero", "batch",
                        "/dev/zero", "--model", model, "--out", dir.resolve("out"))));
    }

    /** {@code ldm generate --from-png FILE} on a PNG with these bytes. */
    static Corpus.Setup fromPng(byte[] png) {
        return dir -> {
            Path file = Files.write(dir.resolve("image.png"), png);
            return Corpus.Call.of(file, "generate", "--from-png", file, "--model", model, "--out", dir.resolve("out"));
        };
    }

    static Corpus.Setup ldmChunk(String json) {
        return fromPng(Corpus.pngWith(Corpus.text("ldm", json)));
    }

    static String request(String fields) {
        return "{\"request\": {\"prompt\": \"a fox\", \"steps\": 2, \"cfg\": 3.0, \"seed\": 5, \"n\": 1, \"size\": 8,"
                + " \"sampler\": \"euler\", \"shift\": 1.0" + fields + "}}";
    }

    static Stream<Corpus.Case> fromPng() {
        return Stream.of(
                bad("--from-png on a text file", "not a PNG file", fromPng("a fox\n".getBytes(StandardCharsets.UTF_8))),
                bad("--from-png on a PNG without settings", "no generation settings",
                        fromPng(BadImages.valid("png"))),
                bad("--from-png with a truncated PNG", "truncated PNG",
                        fromPng(BadImages.truncate(Corpus.pngWith(Corpus.text("ldm", request(""))), 0.5))),
                bad("--from-png with a text chunk failing its CRC", "fails its CRC", fromPng(flipLastCrcByte(
                        Corpus.pngWith(Corpus.text("ldm", request("")))))),
                bad("--from-png with a chunk of length 2^32-1", "corrupt PNG", fromPng(Corpus.concat(
                        BadImages.PNG_SIGNATURE, new byte[] {-1, -1, -1, -1, 't', 'E', 'X', 't', 0, 0}))),
                bad("--from-png with a zTXt inflating past 16 MB", "inflates past",
                        fromPng(Corpus.pngWith(Corpus.ztxt("ldm", new byte[17 << 20])))),
                bad("--from-png with an iTXt that does not inflate", "does not inflate",
                        fromPng(Corpus.pngWith(Corpus.itxt("ldm", true, new byte[] {1, 2, 3, 4, 5, 6})))),
                bad("--from-png with malformed ldm JSON", "malformed JSON", ldmChunk("{\"request\": {\"prompt\": ")),
                bad("--from-png with JSON nested 100000 deep", "malformed JSON",
                        ldmChunk("[".repeat(100_000) + "]".repeat(100_000))),
                bad("--from-png with steps as text", "field 'steps' must be a number",
                        ldmChunk(request("").replace("\"steps\": 2", "\"steps\": \"two\""))),
                bad("--from-png with steps 1e300", "not a whole number",
                        ldmChunk(request("").replace("\"steps\": 2", "\"steps\": 1e300"))),
                bad("--from-png with cfg NaN", "field 'cfg' must be a number",
                        ldmChunk(request("").replace("\"cfg\": 3.0", "\"cfg\": NaN"))),
                bad("--from-png with a 20000-character prompt", "longer than 10000",
                        ldmChunk(request("").replace("a fox", "x".repeat(20_000)))),
                bad("--from-png with an init image at /dev/zero", "not a regular file", ldmChunk(request(
                        ", \"init\": {\"path\": \"/dev/zero\", \"strength\": 0.5, \"sha256\": \"" + "0".repeat(64)
                                + "\"}"))),
                bad("--from-png with a batch that does not give its seed", "does not give the image's seed",
                        ldmChunk(request("").replace("}}", "}, \"batch\": {\"seed\": 1, \"n\": 2, \"index\": 1}}"))),
                bad("--from-png with A1111 Steps 99999999999", "Steps '99999999999' is not usable",
                        fromPng(Corpus.pngWith(Corpus.text("parameters",
                                "a fox\nSteps: 99999999999, Sampler: Euler, CFG scale: 7, Seed: 1")))),
                bad("--from-png with an A1111 sampler ldm lacks", "has no ldm equivalent",
                        fromPng(Corpus.pngWith(Corpus.text("parameters",
                                "a fox\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1")))));
    }

    static byte[] flipLastCrcByte(byte[] png) {
        byte[] b = png.clone();
        b[b.length - 13] ^= 1; // the last byte of the CRC of the chunk before IEND
        return b;
    }

    static Corpus.Setup generate(String... options) {
        return dir -> {
            List<String> args = Corpus.list("generate", "a fox", "--model", model.toString(), "--out",
                    dir.resolve("out").toString());
            args.addAll(List.of(options));
            return new Corpus.Call(args, options[0].equals("--sampler") ? options[1].toLowerCase() : options[0]);
        };
    }

    /** {@code ldm train} or {@code ldm vae train} on a two-image folder with the tiny VAE, plus options. */
    static Corpus.Setup train(String command, String... options) {
        return dir -> {
            Path data = Files.createDirectories(dir.resolve("data"));
            Files.write(data.resolve("red_fox.png"), BadImages.valid("png"));
            Files.write(data.resolve("blue_fox.png"), BadImages.encode(BadImages.noise(8, 8, 3), "png"));
            List<String> args = command.equals("vae") ? Corpus.list("vae", "train", "--preset", "tiny")
                    : Corpus.list("train", "--vae", model.toString(), "--preset", "tiny");
            args.addAll(List.of("--data", data.toString(), "--out", dir.resolve("out").toString()));
            String[] defaults = command.equals("vae") ? new String[] {"--size", "8", "--steps", "1", "--batch", "2"}
                    : new String[] {"--size", "8", "--steps", "1", "--batch", "2", "--text-length", "8"};
            List<String> given = List.of(options);
            for (int i = 0; i < defaults.length; i += 2) {
                if (!given.contains(defaults[i])) {
                    args.addAll(List.of(defaults[i], defaults[i + 1]));
                }
            }
            args.addAll(given);
            // the error names the setting these two options set
            String names = switch (options[0]) {
                case "--kl" -> "klWeight";
                case "--text-length" -> "maxLength";
                default -> options[0];
            };
            return new Corpus.Call(args, names);
        };
    }

    static Stream<Corpus.Case> numbers() {
        return Stream.of(
                bad("generate --steps 0", "must be between 1 and 10000", generate("--steps", "0")),
                bad("generate --steps 99999999999", "99999999999", generate("--steps", "99999999999")),
                bad("generate --cfg NaN", "must be a finite number", generate("--cfg", "NaN")),
                bad("generate --cfg Infinity", "must be a finite number", generate("--cfg", "Infinity")),
                bad("generate --cfg -1e309", "must be a finite number", generate("--cfg", "-1e309")),
                bad("generate --shift 0", "must be a positive finite number", generate("--shift", "0")),
                bad("generate --cfg-interval 0.8,0.2", "--cfg-interval must be FROM,TO with 0 <= FROM < TO <= 1",
                        generate("--cfg-interval", "0.8,0.2")),
                bad("generate --cfg-interval 0.5", "--cfg-interval must be FROM,TO (two numbers",
                        generate("--cfg-interval", "0.5")),
                bad("generate --n 100000", "must be between 1 and 256", generate("--n", "100000")),
                bad("generate --size -8", "must be between 1 and 4096", generate("--size", "-8")),
                bad("generate --size 16 on an 8-pixel model", "8-pixel images only", generate("--size", "16")),
                bad("generate --sampler sde:NaN", "the noise level after 'sde:' must be a number",
                        generate("--sampler", "sde:NaN")),
                bad("generate --seed x", "'x'", generate("--seed", "x")),
                bad("batch --batch-size 0", "--batch-size must be between 1 and 256", dir -> {
                    Path file = Files.writeString(dir.resolve("p.txt"), "a fox\n");
                    return Corpus.Call.of("--batch-size", "batch", file, "--model", model, "--batch-size", "0",
                            "--out", dir.resolve("out"));
                }),
                bad("train --lr NaN", "must be in (0, 1)", train("dit", "--lr", "NaN")),
                bad("train --ema Infinity", "must be in [0, 1)", train("dit", "--ema", "Infinity")),
                bad("train --caption-dropout 2", "must be in [0, 1]", train("dit", "--caption-dropout", "2")),
                bad("train --patch 0", "must be between 1 and 64", train("dit", "--patch", "0")),
                bad("train --size 0", "must be between 1 and 4096", train("dit", "--size", "0")),
                bad("train --size 1000000", "must be between 1 and 4096", train("dit", "--size", "1000000")),
                bad("train --timesteps logit-normal:NaN,1", "std positive and finite, got NaN",
                        train("dit", "--timesteps", "logit-normal:NaN,1")),
                bad("train --text-length 100000", "maxLength must be between 2 and 512",
                        train("dit", "--text-length", "100000")),
                bad("vae train --holdout NaN", "must be in (0, 0.5)", train("vae", "--holdout", "NaN")),
                bad("vae train --kl Infinity", "must be in [0, 1]", train("vae", "--kl", "Infinity")),
                bad("vae train --size 0", "must be between 1 and 4096", train("vae", "--size", "0")),
                bad("vae train --size 1000000", "must be between 1 and 4096", train("vae", "--size", "1000000")),
                bad("data shapes --size 100000", "must be between 8 and 1024", dir -> Corpus.Call.of("--size", "data",
                        "shapes", "--out", dir.resolve("out"), "--size", "100000")),
                bad("data emoji --size 128", "must be 16 to 64 with --source png", dir -> Corpus.Call.of("--size", "data",
                        "emoji", "--out", dir.resolve("out"), "--size", "128", "--source", "png", "--packages", dir.resolve("npm"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refused(Corpus.Case c) throws Exception {
        Corpus.check(c, tmp);
    }

    /** {@code ldm info} shows hostile text chunks with their control characters escaped. */
    @Test
    void infoEscapesTerminalControlCharacters() throws Exception {
        Path png = Files.write(tmp.resolve("escapes.png"), Corpus.pngWith(Corpus.text("parameters",
                "a fox \u001b[2J\u001b]0;owned\u0007\nSteps: 2, Sampler: Euler, Seed: 3"), Corpus.text("Comment",
                "\u001b[31mred\u001b[0m")));
        Ldm.Run r = Ldm.run("info", png.toString());
        assertEquals(0, r.code(), r.describe());
        Expect.noControlCharacters(r.out() + r.err(), r.describe());
        assertTrue(r.out().contains("\\x1b[31mred\\x1b[0m"), r.describe());
        assertTrue(r.out().contains("a fox \\x1b[2J\\x1b]0;owned\\x07"), r.describe());
    }

    /** The same refusal with --verbose adds the stack trace (and only then). */
    @Test
    void verboseAddsTheStackTrace() {
        Ldm.Run r = Ldm.run("generate", "a fox", "--model", model.toString(), "--cfg", "NaN", "--verbose", "--out",
                tmp.resolve("verbose-out").toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.errLines().get(0).startsWith("ldm: error: --cfg must be a finite number"), r.describe());
        assertTrue(r.err().contains("\tat dev.ldm."), r.describe());
    }

    /**
     * Accepted input: a prompt file with a byte-order mark, CRLF line ends and prompts that look
     * like paths renders every line into the output folder, under names that are never paths.
     */
    @Test
    void promptFileWithBomCrlfAndPathsInPromptsStaysInsideItsFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("paths-in-prompts"));
        Path file = Files.writeString(dir.resolve("p.txt"), "\uFEFF../../etc/passwd --seed 1\r\n"
                + "/tmp/x\\..\\y --seed 2\r\n");
        Path out = dir.resolve("out");
        Ldm.Run r = Ldm.run("batch", file.toString(), "--model", model.toString(), "--steps", "1", "--out",
                out.toString());
        assertEquals(0, r.code(), r.describe());
        assertEquals(List.of("00000-etc-passwd-1.png", "00001-tmp-x-y-2.png", BatchManifest.FILE),
                Files.list(out).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                        .toList());
        assertTrue(Files.readString(out.resolve(BatchManifest.FILE)).contains("\"prompt\":\"../../etc/passwd\""));
    }
}
