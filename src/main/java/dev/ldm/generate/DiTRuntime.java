package dev.ldm.generate;

import dev.ldm.LdmException;
import java.util.Locale;

/**
 * Which engine runs the DiT's forward passes while sampling. Both compute the same function of the
 * same weights (images agree to within one 8-bit level); each is bit-for-bit repeatable on its own,
 * so a seed gives the same PNG bytes as long as the runtime stays the same.
 */
public enum DiTRuntime {
    /** DJL's PyTorch engine, eager, the engine the DiT is trained in. */
    DJL,
    /**
     * ONNX Runtime on ldm's own in-memory export of the loaded weights (no file is written):
     * for the default model on 2 (busy) cores, 2.5–3.3× faster than DJL per forward pass at batch 2
     * and 1.4–1.6× at batch 16, and 1.4–1.85× on a whole 30-step guided generation of one image
     * (1.15–1.4× of eight), because a forward pass at width 128 is a few hundred small operators
     * whose dispatch cost, not arithmetic, dominates in the eager engine.
     */
    ONNX;

    /** The runtime a sampling command uses unless told otherwise (a constant, for picocli's default). */
    public static final String DEFAULT_NAME = "onnx";

    /** The name used on the command line and in a PNG's settings: djl or onnx. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code djl|onnx} (any case). */
    public static DiTRuntime parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "djl" -> DJL;
            case "onnx" -> ONNX;
            default -> throw LdmException.badInput("--dit-runtime must be djl or onnx, not '" + text + "'");
        };
    }
}
