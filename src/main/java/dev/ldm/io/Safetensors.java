package dev.ldm.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.LdmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader and writer for the safetensors format: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>The reader trusts nothing in the header: its length, every shape and every offset are checked
 * against the file before anything is allocated, and the byte ranges must tile the data region
 * exactly. F32, F16 and BF16 are read (as float); F32 and F16 are written.
 */
public final class Safetensors {
    /** Headers are a few KB; anything this large is refused before it is read. */
    public static final long MAX_HEADER_BYTES = 16L << 20;

    /** Storage type on disk. */
    public enum DType {
        F32(4), F16(2), BF16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A file's tensors in header order, plus its {@code __metadata__} strings. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private Safetensors() {}

    public static Map<String, Tensor> read(Path file) {
        return readAll(file).tensors();
    }

    public static Contents readAll(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "file is " + size + " bytes, too short for a header");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw bad(file, "header length " + headerLen + " is impossible for a " + size + "-byte file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            List<Entry> entries = parseHeader(file, json, size - dataStart);
            Map<String, String> metadata = parseMetadata(file, json);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer buf = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, buf, dataStart + e.begin);
                buf.flip();
                float[] values = decode(buf, e.dtype, (int) (buf.remaining() / e.dtype.bytes));
                int bad = nonFinite(values);
                if (bad > 0) {
                    throw bad(file, "tensor '" + e.name + "' holds " + bad + " non-finite value" + (bad == 1 ? "" : "s")
                            + " (NaN or infinity): the weights are corrupt");
                }
                out.put(e.name, new Tensor(e.shape, values));
            }
            return new Contents(out, metadata);
        } catch (NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static List<Entry> parseHeader(Path file, String json, long dataLen) {
        JsonObject root;
        try {
            JsonElement el = JsonParser.parseString(json);
            if (!el.isJsonObject()) {
                throw bad(file, "header is not a JSON object");
            }
            root = el.getAsJsonObject();
        } catch (RuntimeException e) {
            if (e instanceof LdmException le) {
                throw le;
            }
            throw bad(file, "header is not valid JSON");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            if (kv.getKey().equals("__metadata__")) {
                continue;
            }
            entries.add(parseEntry(file, kv.getKey(), kv.getValue(), dataLen));
        }
        entries.sort((a, b) -> Long.compare(a.begin, b.begin));
        long pos = 0;
        for (Entry e : entries) {
            if (e.begin != pos) {
                throw bad(file, "tensor '" + e.name + "' byte range overlaps or leaves a gap");
            }
            pos = e.end;
        }
        if (pos != dataLen) {
            throw bad(file, "data region is " + dataLen + " bytes but the header describes " + pos
                    + " (truncated or padded file)");
        }
        // Keep the header's own order for callers.
        List<Entry> ordered = new ArrayList<>();
        for (String name : root.keySet()) {
            for (Entry e : entries) {
                if (e.name.equals(name)) {
                    ordered.add(e);
                }
            }
        }
        return ordered;
    }

    private static Entry parseEntry(Path file, String name, JsonElement value, long dataLen) {
        try {
            JsonObject o = value.getAsJsonObject();
            DType dtype;
            try {
                dtype = DType.valueOf(o.get("dtype").getAsString());
            } catch (IllegalArgumentException e) {
                throw bad(file, "tensor '" + name + "' has unsupported dtype " + o.get("dtype"));
            }
            var shapeJson = o.getAsJsonArray("shape");
            if (shapeJson.size() > 8) {
                throw bad(file, "tensor '" + name + "' has " + shapeJson.size() + " dimensions");
            }
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
                if (shape[i] < 0) {
                    throw bad(file, "tensor '" + name + "' has a negative dimension");
                }
            }
            var offs = o.getAsJsonArray("data_offsets");
            long begin = offs.get(0).getAsLong();
            long end = offs.get(1).getAsLong();
            long numel = Tensor.numel(shape);
            if (begin < 0 || end < begin || end > dataLen) {
                throw bad(file, "tensor '" + name + "' offsets [" + begin + ", " + end
                        + "] fall outside the " + dataLen + "-byte data region");
            }
            if (numel * dtype.bytes != end - begin) {
                throw bad(file, "tensor '" + name + "' shape needs " + numel * dtype.bytes
                        + " bytes but its offsets give " + (end - begin));
            }
            if (numel > Integer.MAX_VALUE / 4) {
                throw bad(file, "tensor '" + name + "' is too large");
            }
            return new Entry(name, dtype, shape, begin, end);
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "' shape overflows");
        } catch (LdmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad(file, "tensor '" + name + "' header entry is malformed");
        }
    }

    private static Map<String, String> parseMetadata(Path file, String json) {
        Map<String, String> meta = new LinkedHashMap<>();
        JsonElement m = JsonParser.parseString(json).getAsJsonObject().get("__metadata__");
        if (m == null) {
            return meta;
        }
        if (!m.isJsonObject()) {
            throw bad(file, "__metadata__ is not an object");
        }
        for (Map.Entry<String, JsonElement> kv : m.getAsJsonObject().entrySet()) {
            if (!kv.getValue().isJsonPrimitive()) {
                throw bad(file, "__metadata__ value for '" + kv.getKey() + "' is not a string");
            }
            meta.put(kv.getKey(), kv.getValue().getAsString());
        }
        return meta;
    }

    private static float[] decode(ByteBuffer buf, DType dtype, int n) {
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Half.toFloat(buf.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Half.bf16ToFloat(buf.getShort());
                }
            }
        }
        return out;
    }

    /** How many of {@code values} are NaN or infinite. */
    public static int nonFinite(float[] values) {
        int n = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes tensors (in map order) atomically, stored as {@code dtype}. Refuses, before anything is
     * written, a tensor holding NaN or infinity, or (for F16) a value beyond fp16's range, which
     * the conversion would turn into infinity: a model file never holds non-finite weights.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, DType dtype) {
        if (dtype == DType.BF16) {
            throw new IllegalArgumentException("ldm writes F32 or F16");
        }
        for (Map.Entry<String, Tensor> kv : tensors.entrySet()) {
            checkWritable(file, kv.getKey(), kv.getValue().data(), dtype);
        }
        byte[] header = header(tensors, metadata, dtype);
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            ByteBuffer b = ByteBuffer.allocate(WRITE_CHUNK * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] data = t.data();
                for (int from = 0; from < data.length; from += WRITE_CHUNK) {
                    int n = Math.min(WRITE_CHUNK, data.length - from);
                    encode(data, from, n, dtype, b.clear());
                    out.write(b.array(), 0, n * dtype.bytes);
                }
            }
        });
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so that the data is aligned. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, DType dtype) {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new java.util.TreeMap<>(metadata).forEach(meta::addProperty); // sorted: the same bytes every run
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> kv : tensors.entrySet()) {
            JsonObject e = new JsonObject();
            e.addProperty("dtype", dtype.name());
            var shape = new com.google.gson.JsonArray();
            for (long d : kv.getValue().shape()) {
                shape.add(d);
            }
            e.add("shape", shape);
            long len = (long) kv.getValue().data().length * dtype.bytes;
            var offs = new com.google.gson.JsonArray();
            offs.add(offset);
            offs.add(offset + len);
            e.add("data_offsets", offs);
            header.add(kv.getKey(), e);
            offset += len;
        }
        byte[] bytes = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + (8 - bytes.length % 8) % 8);
        java.util.Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
        return padded;
    }

    /** data[from, from + n) as little-endian {@code dtype} values into {@code b}. */
    private static void encode(float[] data, int from, int n, DType dtype, ByteBuffer b) {
        if (dtype == DType.F32) {
            b.asFloatBuffer().put(data, from, n);
        } else {
            for (int i = from; i < from + n; i++) {
                b.putShort(2 * (i - from), Half.fromFloat(data[i]));
            }
        }
    }

    private static void checkWritable(Path file, String name, float[] values, DType dtype) {
        int bad = nonFinite(values);
        if (bad > 0) {
            throw LdmException.failure("refusing to write " + file.getFileName() + ": tensor '" + name + "' holds "
                    + bad + " non-finite value" + (bad == 1 ? "" : "s") + " (NaN or infinity)", null);
        }
        if (dtype == DType.F16) {
            int over = 0;
            float largest = 0;
            for (float v : values) {
                if (Math.abs(v) >= HALF_OVERFLOW) {
                    over++;
                    largest = Math.max(largest, Math.abs(v));
                }
            }
            if (over > 0) {
                throw LdmException.failure("refusing to write " + file.getFileName() + " as fp16: tensor '" + name
                        + "' holds " + over + " value" + (over == 1 ? "" : "s") + " beyond fp16's range (largest "
                        + largest + "); store it as fp32 (--no-fp16)", null);
            }
        }
    }

    /** Values converted and written at a time (no int overflow of a byte count, bounded memory). */
    private static final int WRITE_CHUNK = 1 << 16;

    /** The smallest magnitude that rounds to infinity in fp16 (65504 plus half an ulp). */
    private static final float HALF_OVERFLOW = 65520f;

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    private static LdmException bad(Path file, String what) {
        return LdmException.badInput(file + ": not a valid safetensors file: " + what);
    }
}
