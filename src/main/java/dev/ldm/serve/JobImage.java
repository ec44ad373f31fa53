package dev.ldm.serve;

import dev.ldm.generate.GenerateRequest;

/**
 * One finished image of a job.
 *
 * @param index its place in the job's batch
 * @param png the PNG bytes, with its settings, as {@code ldm generate} writes them
 * @param request the settings that re-render exactly this image (its own seed, n = 1)
 * @param file the name it was saved under in the outputs folder, or null when not saved
 */
public record JobImage(int index, byte[] png, GenerateRequest request, String file) {}
