package dev.ldm.vae;

import dev.ldm.LdmException;
import java.util.Arrays;

/** Checks for the ONNX wrappers, so a wrong file or tensor fails with a sentence, not an ORT dump. */
final class OnnxChecks {
    private OnnxChecks() {}

    /**
     * Requires a non-empty NCHW tensor with {@code channels} channels whose fixed dimensions agree
     * with the model's declared shape ({@code -1} or a symbolic name declares a free dimension).
     */
    static void requireNchw(String model, String what, long[] actual, long[] declared, int channels) {
        if (actual.length != 4) {
            throw LdmException.badInput(model + ": " + what + " must be [batch, channels, height, width], got "
                    + Arrays.toString(actual));
        }
        for (long d : actual) {
            if (d <= 0) {
                throw LdmException.badInput(model + ": " + what + " has an empty dimension: " + Arrays.toString(actual));
            }
        }
        if (channels > 0 && actual[1] != channels) {
            throw LdmException.badInput(model + ": " + what + " must have " + channels + " channels, got "
                    + Arrays.toString(actual));
        }
        if (declared.length == 4) {
            for (int i = 0; i < 4; i++) {
                if (declared[i] > 0 && declared[i] != actual[i]) {
                    throw LdmException.badInput(model + ": " + what + " shape " + Arrays.toString(actual)
                            + " does not fit the model's declared shape " + Arrays.toString(declared));
                }
            }
        }
    }

    /** The declared size of dimension {@code i}, or -1 when it is free or unknown. */
    static long declared(long[] shape, int i) {
        return shape.length > i && shape[i] > 0 ? shape[i] : -1;
    }
}
