package dev.ldm.onnx;

import dev.ldm.LdmException;
import java.util.Locale;

/** Where models run. CUDA works only with the CUDA builds of the natives (Maven profile {@code cuda}). */
public enum Device {
    CPU, CUDA;

    /** Parses {@code auto|cpu|cuda}; auto is CPU unless a CUDA build of ONNX Runtime is present. */
    public static Device parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return CPU;
            case "cuda":
                return CUDA;
            case "auto":
                return OnnxSessions.cudaAvailable() ? CUDA : CPU;
            default:
                throw LdmException.badInput("--device must be auto, cpu or cuda, not '" + text + "'");
        }
    }
}
