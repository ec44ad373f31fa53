package dev.ldm.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.onnx.OnnxModel;
import dev.ldm.onnx.OnnxSessions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DiT} run by ONNX Runtime from its in-memory export ({@link DiTOnnxExport}): the same
 * function of the same weights, for sampling, where ONNX Runtime's graph (fused and pre-packed
 * kernels, no per-operator dispatch through the eager engine) is faster at ldm's model sizes. The
 * weights are copied at {@link #open}; later changes to the DJL model do not reach it.
 */
public final class OnnxDiT extends OnnxModel {
    private static final String NAME = "DiT (ONNX export)";
    private final DiTConfig config;
    /** The latent side its graph draws (the config's own, or another: {@link DiT#forward}). */
    private final int side;

    private OnnxDiT(DiTConfig config, int side, byte[] model, Device device) {
        super(session(model, device), NAME,
                Set.of(DiTOnnxExport.X, DiTOnnxExport.T, DiTOnnxExport.TEXT, DiTOnnxExport.MASK,
                        DiTOnnxExport.POOLED),
                Set.of(DiTOnnxExport.OUTPUT));
        this.config = config;
        this.side = side;
    }

    private static OrtSession session(byte[] model, Device device) {
        try (OrtSession.SessionOptions o = OnnxSessions.options(device)) { // no spinning: see OnnxSessions
            return OnnxSessions.env().createSession(model, o);
        } catch (OrtException e) {
            throw LdmException.failure(NAME + ": ONNX Runtime cannot load the exported model ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Exports {@code dit}'s current weights to memory and opens them in ONNX Runtime. */
    public static OnnxDiT open(DiT dit, Device device) {
        return open(dit, dit.config().inputSize(), device);
    }

    /** The same, for latents of side {@code side} (a multiple of the patch side; see {@link DiT#forward}). */
    public static OnnxDiT open(DiT dit, int side, Device device) {
        return new OnnxDiT(dit.config(), side, DiTOnnxExport.toBytes(dit, side), device);
    }

    /**
     * Reads {@code dir/model.safetensors} and opens it for a DiT of {@code config}, with no DJL
     * model built: missing, extra or mis-shaped tensors are bad input naming the file, as
     * {@link DiTWeights#load} reports them.
     */
    public static OnnxDiT open(Path dir, DiTConfig config, Device device) {
        return open(dir, config, config.inputSize(), device);
    }

    /** The same, for latents of side {@code side} (a multiple of the patch side; see {@link DiT#forward}). */
    public static OnnxDiT open(Path dir, DiTConfig config, int side, Device device) {
        Map<String, Tensor> weights = DiTWeights.read(dir, config);
        String source = dir.resolve(DiTWeights.FILE).toString();
        return new OnnxDiT(config, side, DiTOnnxExport.toBytes(config, side, weights, source), device);
    }

    /** The trained model's config (its own latent side, whatever {@link #side()} is). */
    public DiTConfig config() {
        return config;
    }

    /** The latent side this graph draws. */
    public int side() {
        return side;
    }

    /** {@link DiT#forward} on host tensors: x [B, C, S, S], t [B], text [B, L, E], mask [B, L], pooled [B, E]. */
    public Tensor forward(Tensor x, Tensor t, Tensor text, Tensor mask, Tensor pooled) {
        checkInputs(x, t, text, mask, pooled);
        try (OnnxTensor ox = floatInput(x); OnnxTensor ot = floatInput(t); OnnxTensor otext = floatInput(text);
                OnnxTensor omask = floatInput(mask); OnnxTensor opooled = floatInput(pooled)) {
            return runFloat(Map.of(DiTOnnxExport.X, ox, DiTOnnxExport.T, ot, DiTOnnxExport.TEXT, otext,
                    DiTOnnxExport.MASK, omask, DiTOnnxExport.POOLED, opooled), DiTOnnxExport.OUTPUT); // [B, C, S, S]
        }
    }

    /** The shapes {@link DiT#forward} accepts, checked here so that a mistake names the input. */
    private void checkInputs(Tensor x, Tensor t, Tensor text, Tensor mask, Tensor pooled) {
        long b = x.shape().length > 0 ? x.shape()[0] : -1;
        long l = text.shape().length == 3 ? text.shape()[1] : -1;
        require("x", x, b, config.inChannels(), side, side);
        require("t", t, b);
        require("text", text, b, l, config.textDim());
        require("mask", mask, b, l);
        require("pooled", pooled, b, config.textDim());
    }

    private static void require(String name, Tensor value, long... shape) {
        if (!java.util.Arrays.equals(value.shape(), shape)) {
            throw new IllegalArgumentException("OnnxDiT.forward: " + name + " must be "
                    + java.util.Arrays.toString(shape) + ", got " + value.shapeString());
        }
    }
}
