package dev.ldm.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.ldm.LdmException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one place ONNX Runtime sessions are configured (threads, optimisation level, device). */
public final class OnnxSessions {
    private OnnxSessions() {}

    public static OrtEnvironment env() {
        return OrtEnvironment.getEnvironment();
    }

    public static boolean cudaAvailable() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    public static OrtSession.SessionOptions options(Device device) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
        o.setInterOpNumThreads(1);
        if (device == Device.CUDA) {
            if (!cudaAvailable()) {
                throw LdmException.badInput("--device cuda: this build of ONNX Runtime has no CUDA provider "
                        + "(build with -Pcuda on a machine with CUDA)");
            }
            o.addCUDA();
        }
        return o;
    }

    /** Opens an ONNX file; a missing or non-ONNX file is a one-line bad-input error naming it. */
    public static OrtSession open(Path file, Device device) {
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(file + ": ONNX file not found");
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
