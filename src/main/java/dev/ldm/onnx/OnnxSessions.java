package dev.ldm.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.ldm.LdmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place ONNX Runtime sessions are configured (threads, optimisation level, device). */
public final class OnnxSessions {
    /**
     * ONNX Runtime's library loader logs a stack trace when it cannot unpack its native library;
     * ldm reports that itself in one line ({@link #unloadable}), so the loader's log is off. Held
     * here because java.util.logging keeps loggers only weakly.
     */
    private static final Logger LOADER_LOG = Logger.getLogger("ai.onnxruntime.OnnxRuntime");

    static {
        LOADER_LOG.setLevel(Level.OFF);
    }

    private OnnxSessions() {}

    public static OrtEnvironment env() {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError e) {
            throw unloadable(e);
        }
    }

    /**
     * Loads ONNX Runtime's native library now (about 0.15 s of CPU), so that a command can do it
     * while it parses its arguments; a failure is left for the first real use to report.
     */
    public static void preload() {
        try {
            env();
        } catch (RuntimeException e) {
            // reported, in one line, where ldm first needs ONNX Runtime
        }
    }

    public static boolean cudaAvailable() {
        try {
            return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (LinkageError e) {
            throw unloadable(e);
        }
    }

    /**
     * ONNX Runtime unpacks its native library (22 MB) into {@code java.io.tmpdir} at every start, so
     * a full or read-only temporary folder stops it from loading (an error, not an exception).
     */
    private static LdmException unloadable(LinkageError e) {
        return LdmException.failure("cannot load ONNX Runtime's native library, which it unpacks into the "
                + "temporary folder " + System.getProperty("java.io.tmpdir") + " at every start: is that folder full "
                + "or not writable? (choose another with LDM_JAVA_OPTS=-Djava.io.tmpdir=DIR)", e);
    }

    /**
     * ONNX Runtime's intra-op threads spin between operators by default. A forward pass of the DiT,
     * text encoder or VAE is many short operators, and when other work shares the cores the spinning
     * threads take turns from the ones with work: a DiT forward at batch 16 on 2 busy cores took
     * twice as long with spinning as without (measured interleaved, 52 against 26 ms). Same reason
     * as OMP_WAIT_POLICY=PASSIVE for PyTorch.
     */
    static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

    public static OrtSession.SessionOptions options(Device device) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
        o.setInterOpNumThreads(1);
        o.addConfigEntry(ALLOW_SPINNING, "0");
        if (device == Device.CUDA) {
            if (!cudaAvailable()) {
                throw LdmException.badInput("--device cuda: this build of ONNX Runtime has no CUDA provider "
                        + "(build with -Pcuda on a machine with CUDA)");
            }
            o.addCUDA();
        }
        return o;
    }

    /**
     * Opens an ONNX file; a missing or non-ONNX file is a one-line bad-input error naming it. A
     * large file is opened from its copy with memory-mapped weights ({@link MappedWeights}).
     */
    public static OrtSession open(Path file, Device device) {
        return open(file, device, MappedWeights.cacheRoot());
    }

    /** {@link #open(Path, Device)} with the copies of large files under {@code cacheRoot}. */
    static OrtSession open(Path file, Device device, Path cacheRoot) {
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(file + ": ONNX file not found");
        }
        java.util.Optional<Path> mapped = MappedWeights.of(file, env(), cacheRoot);
        if (mapped.isPresent()) {
            try (OrtSession.SessionOptions o = options(device)) {
                return env().createSession(mapped.get().toString(), o);
            } catch (OrtException e) {
                MappedWeights.discard(mapped.get()); // and open the original below
            }
        }
        try (OrtSession.SessionOptions o = options(device)) {
            return env().createSession(file.toString(), o);
        } catch (OrtException e) {
            throw LdmException.badInput(file + ": not a loadable ONNX model (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Opens an ONNX model held in memory (for example read from a jar). */
    public static OrtSession open(byte[] model, String name, Device device) {
        try (OrtSession.SessionOptions o = options(device)) {
            return env().createSession(model, o);
        } catch (OrtException e) {
            throw LdmException.badInput(name + ": not a loadable ONNX model (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
