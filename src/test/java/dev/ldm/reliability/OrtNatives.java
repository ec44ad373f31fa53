package dev.ldm.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ONNX Runtime's native libraries unpacked once into a folder, for child JVMs started with
 * {@code -Donnxruntime.native.path}: ONNX Runtime otherwise unpacks them into a new temporary folder
 * on every start (costly when a test starts dozens of children, and impossible under a file-size
 * limit of zero, which the disk-full tests need).
 */
final class OrtNatives {
    private OrtNatives() {}

    /**
     * The folder holding {@code libonnxruntime} and its JNI binding for this platform, unpacked from
     * the class path into {@code dir} on first use; empty where the jar has none for this platform
     * (the child then unpacks them itself).
     */
    static synchronized Optional<Path> unpack(Path dir) throws IOException {
        String platform = platform();
        if (platform == null) {
            return Optional.empty();
        }
        for (String lib : List.of("onnxruntime", "onnxruntime4j_jni")) {
            String name = System.mapLibraryName(lib);
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                continue;
            }
            try (InputStream in = OrtNatives.class.getResourceAsStream("/ai/onnxruntime/native/" + platform + "/"
                    + name)) {
                if (in == null) {
                    return Optional.empty();
                }
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, name, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return Optional.of(dir);
    }

    /** ONNX Runtime's folder name for this OS and architecture ({@code linux-x64}), or null. */
    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win"
                : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }
}
