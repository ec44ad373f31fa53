package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.export.ModuleGraph;
import dev.ldm.onnx.export.OnnxOps;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Latent → image, the encoder mirrored: conv_in, then from the coarsest level to the finest
 * {@code resBlocksPerLevel} residual blocks followed (except at level 0) by nearest 2× upsampling
 * and a 3×3 convolution, then SiLU and conv_out to the image channels. Level indices in parameter
 * names ({@code up.2.block.0}) are resolution levels, the same numbers as the encoder's.
 */
public final class Decoder extends Module {
    private final Conv2d convIn;
    private final List<List<ResBlock>> blocks = new ArrayList<>();
    private final List<Upsample> upsamples = new ArrayList<>();
    private final Conv2d convOut;

    public Decoder(NDManager m, Rng rng, VaeConfig c) {
        int last = c.levels() - 1;
        int ch = c.channels(last);
        this.convIn = child("conv_in", Conv2d.same3x3(m, rng, c.latentChannels(), ch));
        for (int level = last; level >= 0; level--) {
            List<ResBlock> levelBlocks = new ArrayList<>();
            for (int j = 0; j < c.resBlocksPerLevel(); j++) {
                levelBlocks.add(child("up." + level + ".block." + j, new ResBlock(m, rng, ch, c.channels(level))));
                ch = c.channels(level);
            }
            blocks.add(levelBlocks);
            if (level > 0) {
                upsamples.add(child("up." + level + ".upsample", new Upsample(m, rng, ch)));
            }
        }
        this.convOut = child("conv_out", Conv2d.same3x3(m, rng, ch, c.imageChannels()));
    }

    /** z [B, L, h, w] → image [B, 3, h·f, w·f] (not clamped): {@link #head} of {@link #features}. */
    public NDArray forward(NDArray z) {
        return head(features(z));
    }

    /** The last layer, conv_out (the LDM adaptive weight compares gradients at its weight). */
    public Conv2d convOut() {
        return convOut;
    }

    /** z [B, L, h, w] → the input of the last layer, SiLU of the finest level's activations [B, C0, H, W]. */
    public NDArray features(NDArray z) {
        NDArray h = convIn.forward(z);                  // [B, C_last, h, w]
        for (int i = 0; i < blocks.size(); i++) {
            for (ResBlock b : blocks.get(i)) {
                h = b.forward(h);                       // [B, C_level, H_level, W_level]
            }
            if (i < upsamples.size()) {
                h = upsamples.get(i).forward(h);        // [B, C_level, 2·H_level, 2·W_level]
            }
        }
        return Nd.silu(h);                              // [B, C0, H, W]
    }

    /** The last layer: {@link #features} [B, C0, H, W] → image [B, 3, H, W]. */
    public NDArray head(NDArray features) {
        return convOut.forward(features);
    }

    public String export(ModuleGraph g, String z) {
        String h = convIn.export(g, z);
        for (int i = 0; i < blocks.size(); i++) {
            for (ResBlock b : blocks.get(i)) {
                h = b.export(g, h);
            }
            if (i < upsamples.size()) {
                h = upsamples.get(i).export(g, h);
            }
        }
        return convOut.export(g, OnnxOps.silu(g.graph(), h));
    }
}
