package dev.ldm.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX model in the sd4j style: its input and output names are checked when it is loaded, and
 * every tensor passed in or out is closed. Subclasses add typed methods (encode, decode, ...).
 */
public abstract class OnnxModel implements AutoCloseable {
    private final OrtSession session;
    private final String name;

    protected OnnxModel(OrtSession session, String name, Set<String> inputs, Set<String> outputs) {
        this.session = session;
        this.name = name;
        String problem = missing(session, name, inputs, outputs);
        if (problem != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
            throw LdmException.badInput(problem);
        }
    }

    private static String missing(OrtSession session, String name, Set<String> inputs, Set<String> outputs) {
        for (String in : inputs) {
            if (!session.getInputNames().contains(in)) {
                return name + ": ONNX model has no input '" + in + "' (it has " + session.getInputNames() + ")";
            }
        }
        for (String out : outputs) {
            if (!session.getOutputNames().contains(out)) {
                return name + ": ONNX model has no output '" + out + "' (it has " + session.getOutputNames() + ")";
            }
        }
        return null;
    }

    public String name() {
        return name;
    }

    protected OrtSession session() {
        return session;
    }

    /** Declared shape of an input (-1 for dynamic dimensions). */
    protected long[] inputShape(String input) {
        try {
            NodeInfo info = session.getInputInfo().get(input);
            return ((TensorInfo) info.getInfo()).getShape();
        } catch (OrtException | ClassCastException e) {
            throw LdmException.badInput(name + ": cannot read the shape of input '" + input + "'", e);
        }
    }

    /** Declared shape of an output (-1 for dynamic dimensions). */
    protected long[] outputShape(String output) {
        try {
            NodeInfo info = session.getOutputInfo().get(output);
            return ((TensorInfo) info.getInfo()).getShape();
        } catch (OrtException | ClassCastException e) {
            throw LdmException.badInput(name + ": cannot read the shape of output '" + output + "'", e);
        }
    }

    /** Wraps a host tensor for ONNX Runtime; the caller closes it (use try-with-resources). */
    protected static OnnxTensor floatInput(Tensor t) {
        try {
            return OnnxTensor.createTensor(OnnxSessions.env(), FloatBuffer.wrap(t.data()), t.shape());
        } catch (OrtException e) {
            throw LdmException.failure("cannot create ONNX tensor", e);
        }
    }

    protected static OnnxTensor longInput(long[] data, long[] shape) {
        try {
            return OnnxTensor.createTensor(OnnxSessions.env(), java.nio.LongBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw LdmException.failure("cannot create ONNX tensor", e);
        }
    }

    /** Runs the session and copies one float output to the host; closes every result. */
    protected Tensor runFloat(Map<String, ? extends OnnxTensor> inputs, String output) {
        try (OrtSession.Result r = session.run(inputs, Set.of(output))) {
            OnnxValue v = r.get(output).orElseThrow();
            OnnxTensor t = (OnnxTensor) v;
            long[] shape = t.getInfo().getShape();
            FloatBuffer fb = t.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new Tensor(shape, data);
        } catch (OrtException e) {
            throw LdmException.failure(name + ": ONNX Runtime failed (" + OnnxSessions.firstLine(e.getMessage()) + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw LdmException.failure(name + ": cannot close session", e);
        }
    }
}
