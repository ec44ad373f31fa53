package dev.ldm.serve;

import dev.ldm.LdmException;
import dev.ldm.generate.GenerateRequest;

/**
 * What one server accepts: each request beyond a limit is refused with a 4xx naming the field, and
 * a full queue with 503, so that no client can make the server run out of memory or time.
 *
 * @param queueSize jobs that may wait behind the running one
 * @param maxSteps most sampler steps per request
 * @param maxN most images per request (AUTOMATIC1111's batch_size × n_iter, OpenAI's n)
 * @param maxPromptLength most characters in a prompt or a negative prompt
 * @param maxBodyBytes largest request body
 * @param maxImageSide largest side of a rendered or uploaded image, in pixels (checked on an upload's
 *     header before it is decoded)
 * @param keepJobs finished jobs kept in memory with their images, for the job API and the page
 */
public record ServeLimits(int queueSize, int maxSteps, int maxN, int maxPromptLength, long maxBodyBytes,
        int maxImageSide, int keepJobs) {
    public ServeLimits {
        check("--queue-size", queueSize, 1, 10_000);
        check("--max-steps", maxSteps, 1, 10_000);
        check("--max-n", maxN, 1, GenerateRequest.MAX_N);
        check("--max-prompt-length", maxPromptLength, 1, 10_000);
        check("--max-body-bytes", maxBodyBytes, 1024, 1L << 30);
        check("--max-image-side", maxImageSide, 1, 8192);
        check("--keep-jobs", keepJobs, 1, 100_000);
    }

    private static void check(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw LdmException.badInput(option + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
