package dev.ldm.pipeline;

import dev.ldm.LdmException;

/**
 * Everything that decides a generated image. With the same model and machine, the same request
 * gives the same pixels.
 *
 * @param prompt what to draw
 * @param negative what to steer away from ("" = the empty prompt)
 * @param steps sampler steps (at least 1)
 * @param cfg guidance scale g: v = v_u + g (v_c − v_u); 1 = no guidance
 * @param seed seed of the first image; image i uses seed + i
 * @param n images for this prompt, rendered as one batch
 * @param size image side in pixels
 * @param sampler euler, heun or sde
 * @param shift timestep shift s (1 = none)
 */
public record GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
        String sampler, double shift) {
    public GenerateRequest {
        if (prompt == null) {
            throw LdmException.badInput("prompt is missing");
        }
        if (negative == null) {
            negative = "";
        }
        if (steps < 1 || steps > 10_000) {
            throw LdmException.badInput("--steps must be between 1 and 10000, not " + steps);
        }
        if (!Double.isFinite(cfg) || Math.abs(cfg) > 1000) {
            throw LdmException.badInput("--cfg must be a finite number (|cfg| <= 1000), not " + cfg);
        }
        if (n < 1 || n > 256) {
            throw LdmException.badInput("--n must be between 1 and 256, not " + n);
        }
        if (size < 1 || size > 4096) {
            throw LdmException.badInput("--size must be between 1 and 4096, not " + size);
        }
        if (!Double.isFinite(shift) || shift <= 0 || shift > 1000) {
            throw LdmException.badInput("--shift must be a positive finite number, not " + shift);
        }
        if (prompt.length() > 10_000 || negative.length() > 10_000) {
            throw LdmException.badInput("prompt is longer than 10000 characters");
        }
    }

    public GenerateRequest withSeed(long newSeed) {
        return new GenerateRequest(prompt, negative, steps, cfg, newSeed, n, size, sampler, shift);
    }

    public GenerateRequest withN(int newN) {
        return new GenerateRequest(prompt, negative, steps, cfg, seed, newN, size, sampler, shift);
    }
}
