package dev.ldm.folder;

import dev.ldm.LdmException;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.vae.LatentNormalization;
import java.util.Map;

/**
 * {@code model.json}: the parts of a model folder, so that any part can be swapped without code
 * changes (see DESIGN.md "Model folder").
 *
 * @param format always {@value #FORMAT}
 * @param name a short model name, written into PNG metadata
 * @param textEncoder the text encoder and its tokenizer
 * @param vae the autoencoder's ONNX files and latent geometry
 * @param dit folder (relative) with the DiT's config.json and model.safetensors
 * @param defaults generation defaults chosen for this model
 * @param provenance free-form facts: data, steps, evaluation
 */
public record ModelManifest(String format, String name, TextEncoderConfig textEncoder, VaeSpec vae, String dit,
        Defaults defaults, Map<String, Object> provenance) {
    public static final String FORMAT = "ldm-model/1";

    /** The VAE part: diffusers' ONNX layout works as is. */
    public record VaeSpec(String encoder, String decoder, int latentChannels, int downsampleFactor,
            double scalingFactor, double shiftFactor) {
        void validate(String where) {
            require(decoder != null && !decoder.isBlank(), where + ": vae.decoder is missing");
            require(latentChannels > 0, where + ": vae.latentChannels must be positive");
            require(downsampleFactor > 0, where + ": vae.downsampleFactor must be positive");
            require(Double.isFinite(scalingFactor) && scalingFactor > 0, where + ": vae.scalingFactor must be positive");
            require(Double.isFinite(shiftFactor), where + ": vae.shiftFactor must be finite");
        }

        /**
         * The latent side of {@code size}-pixel images for a DiT of patch size {@code patch}: the one
         * check that a size fits, since pixels must divide into VAE cells and those into patches.
         */
        public int latentSide(int size, int patch) {
            if (size < 1 || size % (downsampleFactor * patch) != 0) {
                throw LdmException.badInput("--size " + size + " is not a multiple of " + downsampleFactor * patch
                        + " (VAE factor " + downsampleFactor + " × patch " + patch + ")");
            }
            return size / downsampleFactor;
        }

        /** z = (latent − shift)·scale and back: the one place the two factors become arithmetic. */
        public LatentNormalization normalization() {
            return new LatentNormalization(scalingFactor, shiftFactor);
        }
    }

    /**
     * Generation defaults for this model.
     *
     * @param cfgInterval "FROM,TO": the times t at which guidance applies ({@link GuidanceInterval});
     *     null (absent from model.json) means every t
     */
    public record Defaults(int size, int steps, double cfg, String sampler, double shift, String cfgInterval) {
        /** Guidance at every t. */
        public Defaults(int size, int steps, double cfg, String sampler, double shift) {
            this(size, steps, cfg, sampler, shift, null);
        }

        void validate(String where) {
            require(size > 0, where + ": defaults.size must be positive");
            require(steps > 0, where + ": defaults.steps must be positive");
            require(Double.isFinite(cfg), where + ": defaults.cfg must be finite");
            require(Double.isFinite(shift) && shift > 0, where + ": defaults.shift must be positive");
            try {
                guidanceInterval();
            } catch (LdmException e) {
                throw LdmException.badInput(where + ": defaults.cfgInterval: " + e.getMessage(), e);
            }
        }

        /** The guidance interval these defaults name. */
        public GuidanceInterval guidanceInterval() {
            return cfgInterval == null ? GuidanceInterval.ALWAYS : GuidanceInterval.parse(cfgInterval);
        }

        /** The interval {@code given} names ("FROM,TO", as typed), or these defaults' when it is null. */
        public GuidanceInterval guidanceInterval(String given) {
            return given == null ? guidanceInterval() : GuidanceInterval.parse(given);
        }
    }

    public void validate(String where) {
        require(FORMAT.equals(format), where + ": unknown format '" + format + "' (expected " + FORMAT + ")");
        require(textEncoder != null, where + ": textEncoder is missing");
        require(vae != null, where + ": vae is missing");
        require(dit != null && !dit.isBlank(), where + ": dit is missing");
        require(defaults != null, where + ": defaults are missing");
        vae.validate(where);
        defaults.validate(where);
        inside(where, "dit", dit);
        inside(where, "vae.encoder", vae.encoder());
        inside(where, "vae.decoder", vae.decoder());
        if (!textEncoder.builtinOnnx()) {
            inside(where, "textEncoder.onnx", textEncoder.onnx());
        }
        if (!textEncoder.builtinTokenizer()) {
            inside(where, "textEncoder.tokenizer", textEncoder.tokenizer());
        }
    }

    /**
     * A model folder may come from anyone: every path it names must be relative and stay inside it,
     * so that opening a model never reads files elsewhere on the machine.
     */
    private static void inside(String where, String field, String path) {
        if (path == null || path.isBlank()) {
            return; // a missing part is reported by the part that needs it
        }
        java.nio.file.Path p;
        try {
            p = java.nio.file.Path.of(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw LdmException.badInput(where + ": " + field + " '" + path + "' is not a usable path");
        }
        if (p.isAbsolute() || path.startsWith("/") || path.startsWith("\\") || p.startsWith("..")) {
            throw LdmException.badInput(where + ": " + field + " '" + path + "' leaves the model folder");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw LdmException.badInput(message);
        }
    }
}
