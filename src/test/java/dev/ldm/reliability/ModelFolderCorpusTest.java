package dev.ldm.reliability;

import static dev.ldm.reliability.Corpus.bad;

import com.google.gson.JsonObject;
import dev.ldm.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model-folder half of the bad-input corpus: a copy of a tiny real model with one part
 * missing, truncated, lying or hostile, given to {@code ldm generate} (and {@code ldm info}). Each
 * is refused with exit 2 and one line naming the file and the problem, without reading anything
 * outside the folder and without writing anything. The safetensors reader's lying-header cases
 * read the file as a training checkpoint ({@code ldm vae train --resume}).
 */
class ModelFolderCorpusTest {
    static final String DIT = "dit/model.safetensors";
    static final String DIT_CONFIG = "dit/config.json";
    static final String DECODER = "vae_decoder/model.onnx";

    @TempDir
    static Path tmp;
    static Path tiny;

    @BeforeAll
    static void buildModel() {
        tiny = tmp.resolve("tiny");
        TestModels.tiny(tiny);
    }

    /** {@code ldm generate} on a copy of the tiny model after {@code edit}; the error names {@code file}. */
    static Corpus.Setup generate(String file, Edit edit) {
        return dir -> {
            Path model = Corpus.copy(tiny, dir.resolve("model"));
            edit.apply(model);
            return Corpus.Call.of(model.resolve(file), "generate", "a fox", "--model", model, "--steps", "1",
                    "--out", dir.resolve("out"));
        };
    }

    /** Changes a copied model folder. */
    @FunctionalInterface
    interface Edit {
        void apply(Path model) throws Exception;
    }

    static Edit manifest(Consumer<JsonObject> edit) {
        return m -> Corpus.editJson(m.resolve("model.json"), edit);
    }

    static Edit write(String file, byte[] bytes) {
        return m -> Files.write(m.resolve(file), bytes);
    }

    static Edit writeText(String file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static Edit delete(String file) {
        return m -> Files.delete(m.resolve(file));
    }

    static Edit truncate(String file, double fraction) {
        return m -> Files.write(m.resolve(file), BadImages.truncate(Files.readAllBytes(m.resolve(file)), fraction));
    }

    static Stream<Corpus.Case> corpus() {
        return Stream.of(manifests(), weights(), checkpoints(), parts()).flatMap(c -> c);
    }

    static Stream<Corpus.Case> manifests() {
        return Stream.of(
                bad("model folder without model.json", "not a model folder",
                        generate("", delete("model.json"))),
                bad("model.json that is not JSON", "malformed JSON", generate("model.json",
                        writeText("model.json", "{\"format\": \"ldm-model/1\", \"dit\": "))),
                bad("model.json of an unknown format", "unknown format 'ldm-model/99'",
                        generate("model.json", manifest(o -> o.addProperty("format", "ldm-model/99")))),
                bad("model.json that is not UTF-8", "not valid UTF-8",
                        generate("model.json", write("model.json", new byte[] {'{', (byte) 0xc3, '}'}))),
                bad("model.json of 17 MB", "too large", generate("model.json",
                        writeText("model.json", "{\"name\": \"" + "x".repeat(17 << 20) + "\"}"))),
                bad("dit path ../../etc", "'../../etc' leaves the model folder",
                        generate("model.json", manifest(o -> o.addProperty("dit", "../../etc")))),
                bad("VAE decoder at ../../etc/passwd", "leaves the model folder", generate("model.json",
                        manifest(o -> o.getAsJsonObject("vae").addProperty("decoder", "../../etc/passwd")))),
                bad("text encoder ONNX at ../../etc/passwd", "leaves the model folder", generate("model.json",
                        manifest(o -> o.getAsJsonObject("textEncoder").addProperty("onnx", "../../etc/passwd")))),
                bad("tokenizer at the absolute path /etc/passwd", "leaves the model folder", generate("model.json",
                        manifest(o -> o.getAsJsonObject("textEncoder").addProperty("tokenizer", "/etc/passwd")))),
                bad("negative latent channels in model.json", "latentChannels must be positive", generate(
                        "model.json", manifest(o -> o.getAsJsonObject("vae").addProperty("latentChannels", -4)))),
                bad("NaN scaling factor in model.json", "scalingFactor must be positive",
                        generate("model.json", tinyManifestWithScale("NaN"))),
                bad("DiT and VAE disagree on latent channels", "latent channels", generate("",
                        manifest(o -> o.getAsJsonObject("vae").addProperty("latentChannels", 8)))));
    }

    /** Rewrites model.json as the tiny one with a raw JSON token as its VAE scaling factor. */
    static Edit tinyManifestWithScale(String token) {
        return m -> {
            String json = Files.readString(tiny.resolve("model.json"));
            Files.writeString(m.resolve("model.json"), json.replaceFirst("\"scalingFactor\":\\s*[0-9.eE+-]+",
                    "\"scalingFactor\": " + token));
        };
    }

    static Stream<Corpus.Case> weights() {
        return Stream.of(
                bad("missing DiT weights", "file not found", generate(DIT, delete(DIT))),
                bad("DiT weights truncated", "truncated", generate(DIT, truncate(DIT, 0.6))),
                bad("weights of another architecture", "missing tensor", generate(DIT, write(DIT,
                        Corpus.safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[20000],\"data_offsets\":[0,80000]}}",
                                80000)))),
                bad("config.json wider than its weights", "but the model config needs",
                        generate(DIT, m -> Corpus.editJson(m.resolve(DIT_CONFIG), o -> o.addProperty("hidden", 64)))),
                bad("config.json describing a 4-trillion-parameter model", "describes a model of more than",
                        generate(DIT_CONFIG, m -> Corpus.editJson(m.resolve(DIT_CONFIG), o -> {
                            o.addProperty("hidden", 65536);
                            o.addProperty("heads", 64);
                            o.addProperty("depth", 1000);
                        }))),
                bad("config.json with a 100000-latent-pixel side", "more than ldm can hold", generate(DIT_CONFIG,
                        m -> Corpus.editJson(m.resolve(DIT_CONFIG), o -> o.addProperty("inputSize", 100_000)))));
    }

    /**
     * {@code ldm vae train --resume} over a checkpoint with these bytes: the safetensors reader where
     * no text encoder has to load first, so the lying-header cases stay fast.
     */
    static Corpus.Setup checkpoint(byte[] bytes) {
        return dir -> {
            Path data = Files.createDirectories(dir.resolve("data"));
            Files.write(data.resolve("red_fox.png"), BadImages.valid("png"));
            Files.write(data.resolve("blue_fox.png"), BadImages.encode(BadImages.noise(8, 8, 3), "png"));
            Path file = dir.resolve("out/checkpoints/vae/checkpoint.safetensors");
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return Corpus.Call.of(file, "vae", "train", "--data", data, "--out", dir.resolve("out"), "--preset",
                    "tiny", "--size", "8", "--steps", "2", "--batch", "2", "--resume");
        };
    }

    static Stream<Corpus.Case> checkpoints() {
        String oneTensor = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        return Stream.of(
                bad("safetensors of 5 bytes", "too short for a header", checkpoint(new byte[5])),
                bad("safetensors header length of 4 GB", "header length 4294967296 is impossible",
                        checkpoint(Corpus.safetensors(1L << 32, oneTensor, 16))),
                bad("safetensors header length of 2^63-1", "is impossible",
                        checkpoint(Corpus.safetensors(Long.MAX_VALUE, oneTensor, 16))),
                bad("safetensors header that is not JSON", "header is not valid JSON",
                        checkpoint(Corpus.safetensors("{\"w\": [1, 2", 0))),
                bad("safetensors offsets past the end", "fall outside the 16-byte data region",
                        checkpoint(Corpus.safetensors(oneTensor.replace("[0,16]", "[0,1600]"), 16))),
                bad("safetensors shape larger than its bytes", "shape needs 64 bytes but its offsets give 16",
                        checkpoint(Corpus.safetensors(oneTensor.replace("[2,2]", "[4,4]"), 16))),
                bad("safetensors tensors overlapping", "overlaps or leaves a gap", checkpoint(Corpus.safetensors(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16))),
                bad("safetensors shape that overflows", "shape overflows", checkpoint(
                        Corpus.safetensors(oneTensor.replace("[2,2]", "[4294967296,4294967296,4294967296]"), 16))),
                bad("safetensors of an unsupported dtype", "unsupported dtype",
                        checkpoint(Corpus.safetensors(oneTensor.replace("F32", "I64"), 16))),
                bad("checkpoint of another model", "not a VAE checkpoint", checkpoint(Corpus.safetensors(
                        "{\"__metadata__\":{\"step\":\"1\"},\"model.w\":{\"dtype\":\"F32\",\"shape\":[2,2],"
                                + "\"data_offsets\":[0,16]}}", 16))));
    }

    static Stream<Corpus.Case> parts() {
        return Stream.of(
                bad("missing VAE decoder", "ONNX file not found", generate(DECODER, delete(DECODER))),
                bad("VAE decoder that is a text file", "not a loadable ONNX model",
                        generate(DECODER, writeText(DECODER, "this is not a model\n"))),
                bad("VAE decoder that is the encoder", "has no input 'latent_sample'", generate(DECODER,
                        m -> Files.copy(m.resolve("vae_encoder/model.onnx"), m.resolve(DECODER),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING))),
                bad("info on a model folder with a truncated manifest", "malformed JSON", dir -> {
                    Path model = Corpus.copy(tiny, dir.resolve("model"));
                    Files.write(model.resolve("model.json"),
                            BadImages.truncate(Files.readAllBytes(model.resolve("model.json")), 0.5));
                    return Corpus.Call.of(model.resolve("model.json"), "info", model);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refused(Corpus.Case c) throws Exception {
        Corpus.check(c, tmp);
    }
}
