package dev.ldm.cli;

import picocli.CommandLine.Option;

/** Options every command shares (a picocli mixin). */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda (default: ${DEFAULT-VALUE}).")
    String device;

    public dev.ldm.onnx.Device device() {
        return dev.ldm.onnx.Device.parse(device);
    }
}
