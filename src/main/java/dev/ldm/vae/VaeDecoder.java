package dev.ldm.vae;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.onnx.OnnxModel;
import dev.ldm.onnx.OnnxSessions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A VAE decoder in ONNX (diffusers' export layout {@code vae_decoder/model.onnx}): input
 * {@code latent_sample} [B, L, h, w] (raw, not normalised: see {@link LatentNormalization}),
 * output {@code sample} [B, 3, h·f, w·f], RGB roughly in [-1, 1] and not clamped.
 */
public final class VaeDecoder extends OnnxModel {
    public static final String INPUT = "latent_sample";
    public static final String OUTPUT = "sample";

    private final long[] declaredInput;

    private VaeDecoder(OrtSession session, String name) {
        super(session, name, Set.of(INPUT), Set.of(OUTPUT));
        this.declaredInput = inputShape(INPUT);
    }

    public static VaeDecoder open(Path file, Device device) {
        OrtSession s = OnnxSessions.open(file, device);
        return new VaeDecoder(s, file.toString());
    }

    /** Latent channels the model declares, or -1 when its channel dimension is symbolic. */
    public long latentChannels() {
        return OnnxChecks.declared(declaredInput, 1);
    }

    /** raw latents [B, L, h, w] → images [B, 3, h·f, w·f]. */
    public Tensor decode(Tensor latents) {
        OnnxChecks.requireNchw(name(), "latents", latents.shape(), declaredInput, -1);
        try (OnnxTensor in = floatInput(latents)) {
            return runFloat(Map.of(INPUT, in), OUTPUT);
        }
    }
}
