package dev.ldm.model;

import ai.djl.ndarray.NDArray;

/**
 * Cuts a latent into non-overlapping p×p patches and back, by reshape and one transpose (no
 * convolution). Tokens are in row-major patch order and each token's values are ordered
 * (row in patch, column in patch, channel), the layout of DiT's {@code unpatchify}, so that
 * {@link #unpatchify} is the exact inverse of {@link #patchify}.
 */
public final class Patchify {
    private Patchify() {}

    /** x [B, C, H, W] → [B, (H/p)·(W/p), p·p·C]. */
    public static NDArray patchify(NDArray x, int p) {
        long[] s = x.getShape().getShape();
        check(s.length == 4, "patchify expects [B, C, H, W], got " + x.getShape());
        long b = s[0], c = s[1], h = s[2] / p, w = s[3] / p;
        check(s[2] % p == 0 && s[3] % p == 0, "image " + s[2] + "x" + s[3] + " is not a multiple of patch " + p);
        if (p == 1) {
            return x.reshape(b, c, h * w).transpose(0, 2, 1);                // [B, T, C]
        }
        return x.reshape(b, c, h, p, w, p)                                    // [B, C, h, p, w, q]
                .transpose(0, 2, 4, 3, 5, 1)                                  // [B, h, w, p, q, C]
                .reshape(b, h * w, (long) p * p * c);                         // [B, T, p·p·C]
    }

    /** tokens [B, h·w, p·p·C] → [B, C, h·p, w·p] for an h×w patch grid. */
    public static NDArray unpatchify(NDArray tokens, int p, int c, int h, int w) {
        long[] s = tokens.getShape().getShape();
        check(s.length == 3 && s[1] == (long) h * w && s[2] == (long) p * p * c,
                "unpatchify expects [B, " + h * w + ", " + p * p * c + "], got " + tokens.getShape());
        long b = s[0];
        if (p == 1) {
            return tokens.transpose(0, 2, 1).reshape(b, c, h, w);             // [B, C, H, W]
        }
        return tokens.reshape(b, h, w, p, p, c)                               // [B, h, w, p, q, C]
                .transpose(0, 5, 1, 3, 2, 4)                                  // [B, C, h, p, w, q]
                .reshape(b, c, (long) h * p, (long) w * p);                   // [B, C, H, W]
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@link #patchify} as ONNX: [B, C, H, W] → [B, T, p·p·C]. */
    static String exportPatchify(DiTGraph g, String x) {
        DiTConfig c = g.config();
        int p = c.patchSize(), n = c.grid();
        if (p == 1) {
            return g.transpose(g.reshape(x, 0, c.inChannels(), -1), 0, 2, 1);        // [B, T, C]
        }
        String s = g.reshape(x, 0, c.inChannels(), n, p, n, p);                      // [B, C, h, p, w, q]
        return g.reshape(g.transpose(s, 0, 2, 4, 3, 5, 1), 0, c.tokens(), c.patchDim()); // [B, T, p·p·C]
    }

    /** {@link #unpatchify} as ONNX: [B, T, p·p·C] → [B, C, H, W]. */
    static String exportUnpatchify(DiTGraph g, String h) {
        DiTConfig c = g.config();
        int p = c.patchSize(), n = c.grid(), side = c.inputSize();
        if (p == 1) {
            return g.reshape(g.transpose(h, 0, 2, 1), 0, c.inChannels(), side, side); // [B, C, H, W]
        }
        String s = g.reshape(h, 0, n, n, p, p, c.inChannels());                      // [B, h, w, p, q, C]
        return g.reshape(g.transpose(s, 0, 5, 1, 3, 2, 4), 0, c.inChannels(), side, side); // [B, C, H, W]
    }
}
