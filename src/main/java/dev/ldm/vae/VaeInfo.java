package dev.ldm.vae;

import com.google.gson.annotations.SerializedName;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code vae/config.json} of a trained VAE folder: what a pipeline needs to use the ONNX parts
 * ({@link #ENCODER}, {@link #DECODER}) — latent channels, downsampling factor, scaling and shift
 * factors, in diffusers' key names — plus the architecture and how well it reconstructs.
 *
 * @param latentChannels channels of the latent
 * @param downsampleFactor pixels per latent position along each side
 * @param scalingFactor z = (latent − shift)·scale has unit variance on the training data
 * @param shiftFactor mean of the raw latents on the training data
 * @param psnr held-out reconstruction PSNR in dB (NaN when not measured)
 * @param trainSteps optimizer steps that made the weights
 * @param architecture the {@link VaeConfig} (also readable by {@link VaeConfig#load})
 */
public record VaeInfo(
        @SerializedName("latent_channels") int latentChannels,
        @SerializedName("downsampling_factor") int downsampleFactor,
        @SerializedName("scaling_factor") double scalingFactor,
        @SerializedName("shift_factor") double shiftFactor,
        @SerializedName("heldout_psnr_db") double psnr,
        @SerializedName("train_steps") long trainSteps,
        VaeConfig architecture) {
    /** Paths relative to the output folder of {@link VaeTrainer}. */
    public static final String FILE = "vae/config.json";
    public static final String WEIGHTS = "vae/" + Autoencoder.WEIGHTS;
    public static final String ENCODER = VaeOnnxExport.ENCODER_FILE;
    public static final String DECODER = VaeOnnxExport.DECODER_FILE;

    public LatentNormalization normalization() {
        return new LatentNormalization(scalingFactor, shiftFactor);
    }

    /** Refuses values a pipeline cannot use. */
    public void validate(String where) {
        if (architecture == null) {
            throw LdmException.badInput(where + ": 'architecture' is missing");
        }
        if (latentChannels != architecture.latentChannels() || downsampleFactor != architecture.downsampleFactor()) {
            throw LdmException.badInput(where + ": latent_channels/downsampling_factor (" + latentChannels + ", "
                    + downsampleFactor + ") disagree with the architecture " + architecture);
        }
        try {
            normalization();
        } catch (LdmException e) {
            throw LdmException.badInput(where + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates {@code dir/vae/config.json}. */
    public static VaeInfo read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(dir + ": no " + FILE + " (not a trained VAE folder)");
        }
        VaeInfo info;
        try {
            info = Json.read(file, VaeInfo.class);
        } catch (LdmException e) {
            throw e;
        } catch (RuntimeException e) { // Gson wraps a record constructor's exception
            String why = e.getCause() instanceof LdmException le ? le.getMessage() : e.getMessage();
            throw LdmException.badInput(file + ": " + why, e);
        }
        info.validate(file.toString());
        return info;
    }

    /** Writes {@code dir/vae/config.json} atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
    }
}
