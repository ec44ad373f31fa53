package dev.ldm.folder;

import dev.ldm.LdmException;
import dev.ldm.flow.ColourPlane;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.flow.LowFrequencyAnchor;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.vae.LatentNormalization;
import java.util.List;
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
 * @param draft optional: a model folder inside this one (relative) whose images, drawn at its own size and
 *     upscaled, this model redraws from {@code defaults.draftStrength} (a cascade; null = none)
 * @param defaults generation defaults chosen for this model
 * @param provenance free-form facts: data, steps, evaluation
 */
public record ModelManifest(String format, String name, TextEncoderConfig textEncoder, VaeSpec vae, String dit,
        String draft, Defaults defaults, Map<String, Object> provenance) {
    public static final String FORMAT = "ldm-model/1";

    /** A model without a draft model. */
    public ModelManifest(String format, String name, TextEncoderConfig textEncoder, VaeSpec vae, String dit,
            Defaults defaults, Map<String, Object> provenance) {
        this(format, name, textEncoder, vae, dit, null, defaults, provenance);
    }

    /** This manifest without its draft model (and without the default strength that goes with it). */
    public ModelManifest withoutDraft() {
        return new ModelManifest(format, name, textEncoder, vae, dit, null, defaults.withoutDraft(), provenance);
    }

    /**
     * The VAE part: diffusers' ONNX layout works as is.
     *
     * @param colourPlane optional: orthonormal directions of the latent channels along which recolouring an
     *     image moves its latent ({@link ColourPlane}, from {@code ldm vae colour-plane}); null = not measured
     */
    public record VaeSpec(String encoder, String decoder, int latentChannels, int downsampleFactor,
            double scalingFactor, double shiftFactor, List<List<Double>> colourPlane) {
        /** Without a colour plane. */
        public VaeSpec(String encoder, String decoder, int latentChannels, int downsampleFactor, double scalingFactor,
                double shiftFactor) {
            this(encoder, decoder, latentChannels, downsampleFactor, scalingFactor, shiftFactor, null);
        }

        void validate(String where) {
            require(decoder != null && !decoder.isBlank(), where + ": vae.decoder is missing");
            require(latentChannels > 0, where + ": vae.latentChannels must be positive");
            require(downsampleFactor > 0, where + ": vae.downsampleFactor must be positive");
            require(Double.isFinite(scalingFactor) && scalingFactor > 0, where + ": vae.scalingFactor must be positive");
            require(Double.isFinite(shiftFactor), where + ": vae.shiftFactor must be finite");
            if (colourPlane != null) {
                try {
                    require(plane().channels() == latentChannels, where + ": vae.colourPlane has directions of "
                            + plane().channels() + " values, but the latents have " + latentChannels + " channels");
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw LdmException.badInput(where + ": vae.colourPlane: "
                            + (e.getMessage() == null ? "a direction or value is missing" : e.getMessage()));
                }
            }
        }

        /** The colour plane, or null when the folder has none. */
        public ColourPlane plane() {
            return colourPlane == null ? null : ColourPlane.of(colourPlane);
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
     * @param draftStrength with a draft model: the time S in (0, 1] from which this model redraws the
     *     draft's upscaled image (1 = from pure noise, the draft unused); null without a draft model
     * @param draftAnchor with a draft model: the block side F (in latent cells) whose means keep the
     *     draft's values while this model redraws ({@link LowFrequencyAnchor}); null or 0 = none
     * @param draftColour with a draft anchor: kept, free or auto ({@code --draft-colour}); null = kept
     * @param tagGuidance more guidance toward a prompt's first tag ({@code --tag-guidance}); null = none
     */
    public record Defaults(int size, int steps, double cfg, String sampler, double shift, String cfgInterval,
            Double draftStrength, Integer draftAnchor, String draftColour, Double tagGuidance) {
        /** The words {@code defaults.draftColour} may hold. */
        static final List<String> DRAFT_COLOURS = List.of("kept", "free", "auto");

        /** No tag guidance. */
        public Defaults(int size, int steps, double cfg, String sampler, double shift, String cfgInterval,
                Double draftStrength, Integer draftAnchor, String draftColour) {
            this(size, steps, cfg, sampler, shift, cfgInterval, draftStrength, draftAnchor, draftColour, null);
        }

        /** Colours kept by the anchor (if any). */
        public Defaults(int size, int steps, double cfg, String sampler, double shift, String cfgInterval,
                Double draftStrength, Integer draftAnchor) {
            this(size, steps, cfg, sampler, shift, cfgInterval, draftStrength, draftAnchor, null);
        }

        /** Guidance at every t. */
        public Defaults(int size, int steps, double cfg, String sampler, double shift) {
            this(size, steps, cfg, sampler, shift, null, null);
        }

        /** No draft model. */
        public Defaults(int size, int steps, double cfg, String sampler, double shift, String cfgInterval) {
            this(size, steps, cfg, sampler, shift, cfgInterval, null, null);
        }

        /** A draft model without an anchor. */
        public Defaults(int size, int steps, double cfg, String sampler, double shift, String cfgInterval,
                Double draftStrength) {
            this(size, steps, cfg, sampler, shift, cfgInterval, draftStrength, null);
        }

        /**
         * The draft anchor {@code given} (as typed), or these defaults' when it is null, for a request
         * whose draft strength came out as {@code strength} (null or 1: no draft, so no default anchor).
         */
        public Integer draftAnchor(Integer given, Double strength) {
            if (given != null) {
                return given; // checked with the request: 0 is none, any other needs a draft
            }
            return strength == null || strength >= 1 ? null : draftAnchor;
        }

        /**
         * The draft colour {@code given} (as typed), or these defaults' when it is null, for a request whose
         * draft anchor came out as {@code anchor} (null or 0: no anchor, so no default colour).
         */
        public String draftColour(String given, Integer anchor) {
            if (given != null) {
                return given; // checked with the request
            }
            return anchor == null || anchor == 0 ? null : draftColour;
        }

        /**
         * The draft strength {@code given} (as typed), or these defaults' when it is null; 1 and null
         * mean no draft.
         *
         * @throws LdmException bad input for a strength outside (0, 1], or below 1 for a model without a draft model
         */
        public Double draftStrength(Double given) {
            if (given == null) {
                return draftStrength;
            }
            if (!(given > 0 && given <= 1)) {
                throw LdmException.badInput("--draft-strength must be in (0, 1], not " + given);
            }
            if (given < 1 && draftStrength == null) {
                throw noDraftModel(given);
            }
            return given;
        }

        /** The one-line refusal of a draft strength below 1 for a model without a draft model. */
        public static LdmException noDraftModel(double given) {
            return LdmException.badInput("--draft-strength " + given
                    + ": this model has no draft model (model.json names none)");
        }

        /** The tag guidance {@code given} (as typed), or these defaults' when it is null. */
        public Double tagGuidance(Double given) {
            return given != null ? given : tagGuidance;
        }

        /** These defaults without tag guidance. */
        public Defaults withoutTagGuidance() {
            return new Defaults(size, steps, cfg, sampler, shift, cfgInterval, draftStrength, draftAnchor, draftColour,
                    null);
        }

        /**
         * The defaults to draw with when the weights are fine-tuned ({@code tuned}: LoRAs merged, or a fine-tuned
         * folder): without tag guidance, which guides the draft toward the prompt's first tag in the styles the
         * base model knows and so holds back a style the fine-tune taught (measured: README, Tag guidance).
         * Asked for explicitly, it still applies.
         */
        public Defaults forFineTuned(boolean tuned) {
            return tuned ? withoutTagGuidance() : this;
        }

        /** These defaults without a draft strength. */
        public Defaults withoutDraft() {
            return new Defaults(size, steps, cfg, sampler, shift, cfgInterval, null, null, null, tagGuidance);
        }

        void validate(String where) {
            require(size > 0, where + ": defaults.size must be positive");
            require(steps > 0, where + ": defaults.steps must be positive");
            require(Double.isFinite(cfg), where + ": defaults.cfg must be finite");
            require(tagGuidance == null || Double.isFinite(tagGuidance), where + ": defaults.tagGuidance must be finite");
            require(Double.isFinite(shift) && shift > 0, where + ": defaults.shift must be positive");
            require(draftStrength == null || (draftStrength > 0 && draftStrength <= 1),
                    where + ": defaults.draftStrength must be in (0, 1]");
            require(draftAnchor == null || (draftAnchor >= 0 && draftAnchor <= LowFrequencyAnchor.MAX_FACTOR),
                    where + ": defaults.draftAnchor must be between 0 and " + LowFrequencyAnchor.MAX_FACTOR);
            require(draftAnchor == null || draftAnchor == 0 || draftStrength != null,
                    where + ": defaults.draftAnchor needs a draft model and defaults.draftStrength");
            require(draftColour == null || DRAFT_COLOURS.contains(draftColour),
                    where + ": defaults.draftColour must be one of " + DRAFT_COLOURS + ", not '" + draftColour + "'");
            require(draftColour == null || draftColour.equals("kept") || (draftAnchor != null && draftAnchor > 0),
                    where + ": defaults.draftColour " + draftColour + " needs defaults.draftAnchor");
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
        require(defaults.draftColour() == null || defaults.draftColour().equals("kept") || vae.colourPlane() != null,
                where + ": defaults.draftColour " + defaults.draftColour() + " needs vae.colourPlane");
        require((draft == null) == (defaults.draftStrength() == null), where
                + ": a draft model and defaults.draftStrength go together (one is given without the other)");
        inside(where, "dit", dit);
        inside(where, "draft", draft);
        require(draft == null || !java.nio.file.Path.of(draft).normalize().toString().isEmpty(),
                where + ": draft must name a folder inside the model folder, not the folder itself");
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
