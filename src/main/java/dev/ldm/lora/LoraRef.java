package dev.ldm.lora;

import dev.ldm.LdmException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A LoRA named on the command line as {@code FILE[:WEIGHT]}: the weight (default 1) scales the
 * update, W' = W + weight·(alpha/r)·B·A. A folder stands for its {@value LoraFile#FILE} (what
 * {@code ldm finetune --lora} writes). Only a suffix that reads as a number is taken as the weight,
 * so paths with colons still work.
 *
 * @param file the LoRA file
 * @param weight its strength
 */
public record LoraRef(Path file, double weight) {
    public LoraRef {
        if (!Double.isFinite(weight)) {
            throw LdmException.badInput("--lora " + file + ": weight must be a finite number");
        }
    }

    public static LoraRef parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw LdmException.badInput("--lora needs FILE[:WEIGHT]");
        }
        String path = spec;
        double weight = 1.0;
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            try {
                weight = Double.parseDouble(spec.substring(colon + 1));
                path = spec.substring(0, colon);
            } catch (NumberFormatException e) {
                // not a weight: the colon belongs to the path
            }
        }
        Path file = Path.of(path);
        if (Files.isDirectory(file)) {
            file = file.resolve(LoraFile.FILE);
        }
        return new LoraRef(file, weight);
    }

    /**
     * The model name PNGs record when LoRAs are applied: {@code base+stem@weight} for each
     * ({@code tiny+lora@0.8}), so an image says what made it.
     */
    public static String modelName(String base, List<LoraRef> loras) {
        StringBuilder sb = new StringBuilder(base);
        for (LoraRef r : loras) {
            String name = r.file().getFileName().toString().replaceFirst("\\.safetensors$", "");
            if (name.equals("lora") && r.file().getParent() != null && r.file().getParent().getFileName() != null) {
                name = r.file().getParent().getFileName().toString();
            }
            sb.append('+').append(name).append('@').append(weightText(r.weight()));
        }
        return sb.toString();
    }

    /**
     * The model hash PNGs record when LoRAs are applied: 10 hex digits of SHA-256 over the base hash
     * and each LoRA file's bytes and weight. Equal exactly when the merged weights are, so a
     * re-render from the PNG without the same LoRAs is told the image will differ.
     */
    public static String modelHash(String baseHash, List<LoraRef> loras) {
        if (loras.isEmpty()) {
            return baseHash;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(baseHash.getBytes(StandardCharsets.UTF_8));
            for (LoraRef r : loras) {
                md.update(Files.readAllBytes(r.file()));
                md.update(("@" + weightText(r.weight())).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 10);
        } catch (IOException e) {
            throw LdmException.badInput(loras + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String weightText(double w) {
        return BigDecimal.valueOf(w).stripTrailingZeros().toPlainString();
    }

    /** Reads the file (bad input if missing or malformed). */
    public LoraFile read() {
        return LoraFile.read(file);
    }
}
