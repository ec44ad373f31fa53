package dev.ldm.lora;

import dev.ldm.LdmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a LoRA: rank r, alpha (the update is scaled by alpha / r, so alpha = r means 1) and
 * the layers it adapts, given as name patterns matched against the DiT's module names: a pattern
 * matches a module whose dotted name equals it or ends with "." + it ({@code attn.qkv} matches
 * {@code blocks.0.attn.qkv}).
 *
 * @param rank r, the inner width of B·A
 * @param alpha scale numerator
 * @param targets module name patterns
 */
public record LoraConfig(int rank, double alpha, List<String> targets) {
    /** Most rank accepted: a LoRA is meant to be small. */
    public static final int MAX_RANK = 1024;
    /** The attention projections: self-attention qkv and output, cross-attention q, kv and output. */
    public static final List<String> ATTENTION =
            List.of("attn.qkv", "attn.proj", "cross_attn.q", "cross_attn.kv", "cross_attn.proj");
    /** The transformer MLP's two layers. */
    public static final List<String> MLP = List.of("mlp.fc1", "mlp.fc2");

    public LoraConfig {
        if (rank < 1 || rank > MAX_RANK) {
            throw LdmException.badInput("--lora rank must be between 1 and " + MAX_RANK + " (got " + rank + ")");
        }
        if (!Double.isFinite(alpha) || alpha <= 0) {
            throw LdmException.badInput("--lora-alpha must be a positive number (got " + alpha + ")");
        }
        if (targets == null || targets.isEmpty() || targets.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw LdmException.badInput("a LoRA needs at least one target layer pattern");
        }
        targets = List.copyOf(targets);
    }

    /** Rank r over the attention projections (and the MLP when {@code mlp}); alpha defaults to r. */
    public static LoraConfig of(int rank, Double alpha, boolean mlp) {
        List<String> t = new ArrayList<>(ATTENTION);
        if (mlp) {
            t.addAll(MLP);
        }
        return new LoraConfig(rank, alpha == null ? rank : alpha, t);
    }

    /** alpha / r, the factor on B·A. */
    public double scale() {
        return alpha / rank;
    }

    /** True when a module's dotted name is one of the targets. */
    public boolean matches(String moduleName) {
        for (String t : targets) {
            if (moduleName.equals(t) || moduleName.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }
}
