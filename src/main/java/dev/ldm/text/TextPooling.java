package dev.ldm.text;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.util.Locale;

/**
 * How one vector per prompt is made from the token states. Sentence-embedding models such as MiniLM
 * were trained with the masked mean; BERT-style models summarise in the first ([CLS]) token; CLIP's
 * text tower reads its pooled output at the end-of-text token, the last real token.
 */
public enum TextPooling {
    MEAN, FIRST, EOS;

    /** Parses "mean", "first" or "eos" (the names used in configs). */
    public static TextPooling parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mean":
                return MEAN;
            case "first":
                return FIRST;
            case "eos":
                return EOS;
            default:
                throw LdmException.badInput("text encoder config: pooling must be mean, first or eos, not '"
                        + name + "'");
        }
    }

    /**
     * Pools token states.
     *
     * @param states [B, L, D] token states
     * @param mask [B, L], 1 for a real token and 0 for padding
     * @return [B, D]
     */
    public Tensor pool(Tensor states, Tensor mask) {
        int b = (int) states.shape()[0];
        int l = (int) states.shape()[1];
        int d = (int) states.shape()[2];
        float[] out = new float[b * d];
        for (int i = 0; i < b; i++) {
            poolRow(states.data(), mask.data(), i, l, d, out);
        }
        return new Tensor(new long[] {b, d}, out); // [B, D]
    }

    private void poolRow(float[] s, float[] m, int row, int l, int d, float[] out) {
        int base = row * l * d;
        if (this == MEAN) {
            double[] sum = new double[d];
            double count = 0;
            for (int t = 0; t < l; t++) {
                float w = m[row * l + t];
                if (w == 0) {
                    continue;
                }
                count += w;
                for (int k = 0; k < d; k++) {
                    sum[k] += w * s[base + t * d + k];
                }
            }
            double inv = count > 0 ? 1.0 / count : 0.0;
            for (int k = 0; k < d; k++) {
                out[row * d + k] = (float) (sum[k] * inv);
            }
            return;
        }
        int token = this == FIRST ? 0 : lastRealToken(m, row, l);
        System.arraycopy(s, base + token * d, out, row * d, d);
    }

    private static int lastRealToken(float[] m, int row, int l) {
        for (int t = l - 1; t > 0; t--) {
            if (m[row * l + t] != 0) {
                return t;
            }
        }
        return 0;
    }
}
