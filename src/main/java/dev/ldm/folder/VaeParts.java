package dev.ldm.folder;

import dev.ldm.LdmException;
import dev.ldm.vae.VaeInfo;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a VAE in a folder: a model folder's manifest, or the layout {@code ldm vae train} writes
 * ({@code vae/config.json}, {@code vae_encoder/model.onnx}, {@code vae_decoder/model.onnx}).
 *
 * @param dir the folder
 * @param spec geometry and normalisation, with encoder/decoder paths relative to {@code dir}
 */
public record VaeParts(Path dir, ModelManifest.VaeSpec spec) {
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelFolder.MANIFEST)) || Files.isRegularFile(dir.resolve(VaeInfo.FILE));
    }

    public static VaeParts find(Path dir) {
        if (Files.isRegularFile(dir.resolve(ModelFolder.MANIFEST))) {
            ModelFolder f = ModelFolder.open(dir);
            return new VaeParts(dir, f.manifest().vae());
        }
        Path info = dir.resolve(VaeInfo.FILE);
        if (!Files.isRegularFile(info)) {
            throw LdmException.badInput(dir + ": no VAE here (neither " + ModelFolder.MANIFEST + " nor " + VaeInfo.FILE
                    + "); run 'ldm vae train' first or pass --vae");
        }
        VaeInfo v = VaeInfo.read(dir);
        return new VaeParts(dir, new ModelManifest.VaeSpec(VaeInfo.ENCODER, VaeInfo.DECODER, v.latentChannels(),
                v.downsampleFactor(), v.scalingFactor(), v.shiftFactor()));
    }

    public Path encoder() {
        return dir.resolve(spec.encoder());
    }

    public Path decoder() {
        return dir.resolve(spec.decoder());
    }
}
