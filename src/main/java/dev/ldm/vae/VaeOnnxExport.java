package dev.ldm.vae;

import dev.ldm.onnx.export.ModuleGraph;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.onnx.export.OnnxGraph.Dim;
import dev.ldm.onnx.export.OnnxModelWriter;
import dev.ldm.onnx.export.OnnxOps;
import java.nio.file.Path;

/**
 * Writes an {@link Autoencoder} as two ONNX graphs with diffusers' names, so ldm's VAE and an
 * exported Stable Diffusion VAE plug into {@link VaeEncoder} and {@link VaeDecoder} the same way:
 * <ul>
 *   <li>encoder: {@code sample} [batch, 3, height, width] → {@code latent_sample} [batch, L,
 *       latent_height, latent_width], the posterior mean (unnormalised, no sampling);</li>
 *   <li>decoder: {@code latent_sample} → {@code sample}.</li>
 * </ul>
 * Batch and spatial dimensions are symbolic; channel dimensions are fixed. Each block emits its
 * own nodes beside its forward code, and initializers carry the safetensors parameter names.
 */
public final class VaeOnnxExport {
    public static final String ENCODER_FILE = "vae_encoder/model.onnx";
    public static final String DECODER_FILE = "vae_decoder/model.onnx";

    private VaeOnnxExport() {}

    public static OnnxGraph encoderGraph(Autoencoder vae) {
        VaeConfig c = vae.config();
        OnnxGraph graph = new OnnxGraph("ldm_vae_encoder");
        ModuleGraph g = new ModuleGraph(graph, vae);
        String x = graph.input(VaeEncoder.INPUT, Dim.named("batch"), Dim.of(c.imageChannels()),
                Dim.named("height"), Dim.named("width"));
        String moments = vae.encoder().export(g, x);                               // [B, 2L, h, w]
        String mean = OnnxOps.slice(graph, moments, 1, 0, c.latentChannels());    // [B, L, h, w]
        graph.output(mean, VaeEncoder.OUTPUT, latentDims(c));
        return graph;
    }

    public static OnnxGraph decoderGraph(Autoencoder vae) {
        VaeConfig c = vae.config();
        OnnxGraph graph = new OnnxGraph("ldm_vae_decoder");
        ModuleGraph g = new ModuleGraph(graph, vae);
        String z = graph.input(VaeDecoder.INPUT, latentDims(c));
        String image = vae.decoder().export(g, z);                                 // [B, 3, H, W]
        graph.output(image, VaeDecoder.OUTPUT, Dim.named("batch"), Dim.of(c.imageChannels()),
                Dim.named("height"), Dim.named("width"));
        return graph;
    }

    /** Writes {@code dir/vae_encoder/model.onnx} and {@code dir/vae_decoder/model.onnx}. */
    public static void write(Autoencoder vae, Path dir) {
        OnnxModelWriter.write(dir.resolve(ENCODER_FILE), encoderGraph(vae));
        OnnxModelWriter.write(dir.resolve(DECODER_FILE), decoderGraph(vae));
    }

    private static Dim[] latentDims(VaeConfig c) {
        return new Dim[] {Dim.named("batch"), Dim.of(c.latentChannels()), Dim.named("latent_height"),
                Dim.named("latent_width")};
    }
}
