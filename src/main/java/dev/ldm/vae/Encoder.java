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
 * Image → latent moments. conv_in, then per resolution level {@code resBlocksPerLevel} residual
 * blocks followed (except at the last level) by a stride-2 3×3 convolution, then SiLU and conv_out
 * to 2·latentChannels: the first half is the mean, the second the log-variance.
 */
public final class Encoder extends Module {
    private final Conv2d convIn;
    private final List<List<ResBlock>> blocks = new ArrayList<>();
    private final List<Conv2d> downsamples = new ArrayList<>();
    private final Conv2d convOut;

    public Encoder(NDManager m, Rng rng, VaeConfig c) {
        int ch = c.channels(0);
        this.convIn = child("conv_in", Conv2d.same3x3(m, rng, c.imageChannels(), ch));
        for (int level = 0; level < c.levels(); level++) {
            List<ResBlock> levelBlocks = new ArrayList<>();
            for (int j = 0; j < c.resBlocksPerLevel(); j++) {
                levelBlocks.add(child("down." + level + ".block." + j, new ResBlock(m, rng, ch, c.channels(level))));
                ch = c.channels(level);
            }
            blocks.add(levelBlocks);
            if (level < c.levels() - 1) {
                downsamples.add(child("down." + level + ".downsample", new Conv2d(m, rng, ch, ch, 3, 2, 1)));
            }
        }
        this.convOut = child("conv_out", Conv2d.same3x3(m, rng, ch, 2 * c.latentChannels()));
    }

    /** x [B, 3, H, W] → moments [B, 2·latentChannels, H/f, W/f]. */
    public NDArray forward(NDArray x) {
        NDArray h = convIn.forward(x);                  // [B, C0, H, W]
        for (int level = 0; level < blocks.size(); level++) {
            for (ResBlock b : blocks.get(level)) {
                h = b.forward(h);                       // [B, C_level, H_level, W_level]
            }
            if (level < downsamples.size()) {
                h = downsamples.get(level).forward(h);  // [B, C_level, H_level/2, W_level/2]
            }
        }
        return convOut.forward(Nd.silu(h));             // [B, 2L, H/f, W/f]
    }

    public String export(ModuleGraph g, String x) {
        String h = convIn.export(g, x);
        for (int level = 0; level < blocks.size(); level++) {
            for (ResBlock b : blocks.get(level)) {
                h = b.export(g, h);
            }
            if (level < downsamples.size()) {
                h = downsamples.get(level).export(g, h);
            }
        }
        return convOut.export(g, OnnxOps.silu(g.graph(), h));
    }
}
