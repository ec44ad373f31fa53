package dev.ldm.reliability;

import dev.ldm.batch.ManifestEntry;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.image.PngWriter;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Sha256;
import dev.ldm.io.Tensor;
import dev.ldm.request.OutputWriter;
import dev.ldm.text.TextEncoderConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Valid inputs for each fuzzed parser, made by ldm's own writers (so they are exactly what ldm
 * reads in practice), each prefixed with its target's selector byte.
 */
final class FuzzSeeds {
    private FuzzSeeds() {}

    static List<byte[]> all() {
        return List.of(safetensors(), modelJson(), ldmPng(), a1111Png(), prompts(), jsonlPrompts(), manifest());
    }

    static byte[] tagged(int target, byte[] file) {
        byte[] out = new byte[file.length + 1];
        out[0] = (byte) target;
        System.arraycopy(file, 0, out, 1, file.length);
        return out;
    }

    static byte[] safetensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", new Tensor(new long[] {2, 3}, new float[] {1, -2, 3, 0.5f, 0, 7}));
        t.put("b", new Tensor(new long[] {1}, new float[] {4}));
        try {
            Path f = Files.createTempFile("seed", ".safetensors");
            Safetensors.write(f, t, Map.of("step", "3"), Safetensors.DType.F16);
            byte[] b = Files.readAllBytes(f);
            Files.delete(f);
            return tagged(0, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] modelJson() {
        ModelManifest m = new ModelManifest(ModelManifest.FORMAT, "seed", TextEncoderConfig.builtin(8),
                new ModelManifest.VaeSpec("vae_encoder/model.onnx", "vae_decoder/model.onnx", 4, 2, 0.5, 0.1), "dit",
                new ModelManifest.Defaults(8, 30, 3.0, "euler", 1.0), Map.of("steps", 100));
        return tagged(1, Json.pretty(m).getBytes(StandardCharsets.UTF_8));
    }

    static GenerateRequest request() {
        return new GenerateRequest("a red fox, \"quoted\"\nsecond line", "blue", 2, 3.5, 41, 2, 8, "sde:0.5", 2.0);
    }

    static byte[] ldmPng() {
        GeneratedImage img = new GeneratedImage(BadImages.noise(2, 2, 1), request().image(1),
                new BatchOrigin(41, 2, 1));
        return tagged(2, OutputWriter.encode(img, "tiny", "0123456789", dev.ldm.generate.DiTRuntime.ONNX));
    }

    static byte[] a1111Png() {
        Map<String, String> chunks = Map.of("parameters", "a cat\nNegative prompt: dog\nSteps: 20, Sampler: Euler a, "
                + "CFG scale: 7, Seed: 5, Size: 8x8, Model hash: abc, Clip skip: 2");
        return tagged(2, PngWriter.encode(BadImages.noise(2, 2, 2), chunks));
    }

    static byte[] prompts() {
        return tagged(3, ("\uFEFF# comment\r\na red circle --n 3 --seed 5\r\n\"a -- quoted\" --cfg=4 --negative 'x y'\n"
                + "{\"prompt\": \"a black cross\", \"seed\": 9, \"sampler\": \"heun\"}\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    static byte[] jsonlPrompts() {
        return tagged(3, "{\"prompt\": \"a fox\", \"steps\": 4, \"shift\": 1.5, \"size\": 8}\n{\"prompt\": \"b\"}\n"
                .getBytes(StandardCharsets.UTF_8));
    }

    static byte[] manifest() {
        GenerateRequest r = request();
        ManifestEntry e = new ManifestEntry("00000-a-red-fox-41.png", 0, "p.txt:2", r.image(0),
                new BatchOrigin(41, 2, 0), "tiny", "0123456789", Sha256.hex(new byte[0]));
        return tagged(4, (e.toJsonLine() + "\n" + e.toJsonLine().replace("00000", "00001") + "\n{\"torn\"")
                .getBytes(StandardCharsets.UTF_8));
    }
}
