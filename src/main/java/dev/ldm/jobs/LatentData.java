package dev.ldm.jobs;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.LoadedImages;
import dev.ldm.data.Sample;
import dev.ldm.folder.VaeParts;
import dev.ldm.io.Json;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEncoder;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.train.LatentCache;
import dev.ldm.util.Interrupt;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A captioned image list encoded once (VAE encoder + text encoder) into a {@link LatentCache} file
 * named by a hash of everything that determines its contents: the files (path, size, time), their
 * captions, the image size, the VAE and the text encoder. {@code ldm train} and {@code ldm finetune}
 * share it, so a re-run over the same data and encoders reads the file instead of encoding again.
 */
public final class LatentData {
    /**
     * @param cache the encoded pairs (one row per loaded sample, in sample order)
     * @param skipped samples that could not be read (0 when the cache file already existed)
     */
    public record Encoded(LatentCache cache, int skipped) {}

    /**
     * Images decoded and encoded at a time: the full-size images are never all in memory at once
     * (18,036 images at 128 px are 3.5 GB as floats, more than a default heap on a 24 GB machine).
     */
    private static final int DECODE_CHUNK = 256;

    private LatentData() {}

    /** The cache file for these inputs inside {@code cacheDir}. */
    public static Path file(Path cacheDir, List<Sample> samples, int size, VaeParts vae, TextEncoderConfig text) {
        return cacheDir.resolve("latents-" + key(samples, size, vae, text) + ".safetensors");
    }

    /**
     * Reads the cache file if it exists, else decodes the images, {@link #DECODE_CHUNK} at a time,
     * encodes them and writes it. An unreadable image is skipped with a warning, or with
     * {@code requireAll} refused as bad input before anything is written (fine-tuning needs every
     * row to match its sample).
     */
    public static Encoded loadOrEncode(Path cacheDir, List<Sample> samples, int size, VaeParts vae, TextEncoder text,
            TextEncoderConfig textConfig, Device device, boolean requireAll, Consumer<String> warn) {
        return loadOrEncode(cacheDir, samples, size, vae, text, textConfig, device, requireAll, warn, images -> { });
    }

    /**
     * {@link #loadOrEncode(Path, List, int, VaeParts, TextEncoder, TextEncoderConfig, Device, boolean, Consumer)},
     * handing each chunk of decoded images, in order, also to {@code decoded} when the cache is built (so
     * that what else needs the images, the alignment targets, does not decode them again).
     */
    public static Encoded loadOrEncode(Path cacheDir, List<Sample> samples, int size, VaeParts vae, TextEncoder text,
            TextEncoderConfig textConfig, Device device, boolean requireAll, Consumer<String> warn,
            Consumer<List<Tensor>> decoded) {
        Path cacheFile = file(cacheDir, samples, size, vae, textConfig);
        if (Files.isRegularFile(cacheFile)) {
            return new Encoded(LatentCache.load(cacheFile), 0);
        }
        List<String> problems = new ArrayList<>();
        List<Tensor> latents = new ArrayList<>();
        List<List<String>> captions = new ArrayList<>();
        int skipped = 0;
        LatentNormalization norm = vae.spec().normalization();
        try (VaeEncoder enc = VaeEncoder.open(vae.encoder(), device); Interrupt.Guard guard = Interrupt.guard()) {
            for (int from = 0; from < samples.size(); from += DECODE_CHUNK) {
                Interrupt.check("while encoding the training images (" + from + " of " + samples.size()
                        + " done; nothing is cached until all are)");
                LoadedImages loaded = ImageFolder.load(samples.subList(from, Math.min(samples.size(), from + DECODE_CHUNK)),
                        size, requireAll ? problems::add : warn);
                skipped += loaded.skipped();
                if (!problems.isEmpty() || loaded.images().isEmpty()) {
                    continue; // with requireAll, read on only to count what is unreadable
                }
                latents.add(LatentCache.encode(loaded.images(), enc, norm));
                decoded.accept(loaded.images());
                captions.addAll(loaded.alternatives());
            }
        }
        if (!problems.isEmpty()) {
            throw LdmException.badInput(problems.get(0).replaceFirst("^skipping ", "")
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more unreadable images)" : ""));
        }
        if (skipped > 0) {
            warn.accept("skipped " + skipped + " unreadable image(s)");
        }
        if (latents.isEmpty()) {
            throw LdmException.badInput("no training images");
        }
        LatentCache cache = LatentCache.of(Tensor.concat(latents), captions, text);
        cache.save(cacheFile);
        return new Encoded(cache, skipped);
    }

    /** Hash of the file list (names, sizes, times), captions, the VAE and the text-encoder settings. */
    static String key(List<Sample> samples, int size, VaeParts vae, TextEncoderConfig text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Sample s : samples) {
                md.update(s.image().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Long.toString(Files.size(s.image())).getBytes());
                md.update(Files.getLastModifiedTime(s.image()).toString().getBytes());
                md.update(String.join("\n", s.captions()).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update(("v3 (caption table)|" + size + "|" + Json.compact(vae.spec()) + "|" + Json.compact(text)).getBytes());
            md.update(Long.toString(Files.size(vae.encoder())).getBytes());
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw LdmException.failure("cannot hash the data set", e);
        }
    }
}
