package dev.ldm.cli;

import dev.ldm.generate.DiTRuntime;
import picocli.CommandLine.Option;

/** {@code --dit-runtime}, for the commands that sample (a picocli mixin). */
public final class DiTRuntimeOption {
    @Option(names = "--dit-runtime", paramLabel = "djl|onnx", defaultValue = DiTRuntime.DEFAULT_NAME,
            description = "Engine that runs the DiT while sampling: djl (PyTorch) or onnx (ONNX Runtime on an"
                    + " in-memory export of the same weights, faster on CPU). Images agree to one 8-bit level; each"
                    + " runtime repeats its own bytes exactly (default: ${DEFAULT-VALUE}).")
    String runtime;

    public DiTRuntime runtime() {
        return DiTRuntime.parse(runtime);
    }
}
