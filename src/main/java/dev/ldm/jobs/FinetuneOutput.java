package dev.ldm.jobs;

import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.lora.LoraFile;
import dev.ldm.model.DiTWeights;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.train.DiTTrainer;
import dev.ldm.vae.VaeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ldm finetune} leaves in OUT. Full fine-tuning: a complete model folder (the EMA DiT
 * weights, the base model's VAE and text-encoder files copied, {@code model.json} with the base
 * model's parts and defaults and a provenance naming the base model and its hash). LoRA: only
 * {@code OUT/lora.safetensors} (the EMA adapters), which {@code generate --lora} merges into the
 * base model it names by hash; a LoRA is a file, not a model folder. For a cascade whose draft was
 * fine-tuned first (into OUT/draft), a full fine-tune's folder holds that tuned draft, and the LoRA
 * file holds the draft's adapters beside its own.
 */
final class FinetuneOutput {
    private final FinetuneJob.Settings s;
    private final FinetuneJob.Base base;

    FinetuneOutput(FinetuneJob.Settings settings, FinetuneJob.Base base) {
        this.s = settings;
        this.base = base;
    }

    /**
     * Writes the result and returns the path of the model folder or LoRA file.
     *
     * @param draft the draft stage's outcome (its model folder or LoRA file), or null when the draft was not tuned
     */
    String write(DiTTrainer.Result r, int images, int rows, FinetuneJob.Outcome draft) {
        Map<String, Object> prov = provenance(r, images, rows, draft);
        if (s.lora() != null) {
            Map<String, String> info = new LinkedHashMap<>();
            info.put("base_model", base.folder().name());
            info.put("trigger", s.trigger() == null ? "" : s.trigger());
            info.put("ldm_finetune", Json.compact(prov));
            Path file = s.out().resolve(LoraFile.FILE);
            LoraFile lora = new LoraFile(s.lora(), r.emaWeights(), base.hash(), info);
            if (draft != null) {
                LoraFile d = LoraFile.read(Path.of(draft.output()));
                lora = lora.withDraft(new LoraFile(d.config(), d.tensors(), d.baseHash(), Map.of()));
            }
            lora.write(file);
            return file.toString();
        }
        Safetensors.DType dtype = s.fp16() ? Safetensors.DType.F16 : Safetensors.DType.F32;
        DiTWeights.save(base.config(), r.emaWeights(), s.out().resolve("dit"), dtype);
        copyParts(draft == null);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("finetune", prov);
        all.put("base_provenance", base.folder().manifest().provenance());
        ModelManifest m = base.folder().manifest();
        new ModelFolder(s.out(), new ModelManifest(ModelManifest.FORMAT,
                s.out().toAbsolutePath().normalize().getFileName().toString(), m.textEncoder(), m.vae(), "dit",
                m.draft(), m.defaults().withoutTagGuidance(), all)).write();
        return s.out().toString();
    }

    private Map<String, Object> provenance(DiTTrainer.Result r, int images, int rows, FinetuneJob.Outcome draft) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base_model", base.folder().name());
        p.put("base_model_hash", base.hash());
        p.put("mode", s.lora() == null ? "full" : "lora");
        if (s.lora() != null) {
            p.put("lora", s.lora());
        }
        p.put("data", s.data().toString());
        p.put("images", images);
        p.put("rows_with_repeats", rows);
        p.put("trigger", s.trigger());
        p.put("train", s.train());
        p.put("steps", r.steps());
        p.put("final_loss", r.finalLoss());
        p.put("loss_by_timestep", r.lossByTimestep());
        if (base.folder().manifest().draft() != null) {
            p.put("draft", draft == null ? "kept as it was (--keep-draft)" : "fine-tuned first, with the same settings");
        }
        return p;
    }

    /**
     * Copies every file the manifest names (relative ones) plus the VAE config, NOTICE and the prior prompts, when
     * present (the tuned model still draws the old prompts, so the next fine-tune preserves them too), and a
     * cascade's draft model when {@code withDraft} (it was not fine-tuned into OUT).
     */
    private void copyParts(boolean withDraft) {
        ModelManifest m = base.folder().manifest();
        List<String> files = new ArrayList<>(List.of(m.vae().encoder(), m.vae().decoder(), VaeInfo.FILE, "NOTICE",
                ModelFolder.PRIOR_PROMPTS));
        TextEncoderConfig t = m.textEncoder();
        for (String f : new String[] {t.builtinOnnx() ? null : t.onnx(), t.builtinTokenizer() ? null : t.tokenizer()}) {
            if (f != null && !Path.of(f).isAbsolute()) {
                files.add(f);
            }
        }
        for (String rel : files) {
            Path src = base.folder().resolve(rel);
            if (Files.isRegularFile(src)) {
                AtomicFiles.write(s.out().resolve(rel), o -> Files.copy(src, o));
            }
        }
        if (m.draft() != null && withDraft) { // a cascade's draft model, unchanged (--keep-draft)
            Path from = base.folder().resolve(m.draft());
            try (var tree = Files.walk(from)) {
                for (Path src : tree.filter(Files::isRegularFile).sorted().toList()) {
                    AtomicFiles.write(s.out().resolve(m.draft()).resolve(from.relativize(src).toString()),
                            o -> Files.copy(src, o));
                }
            } catch (java.io.IOException e) {
                throw dev.ldm.LdmException.badInput(from + ": cannot copy the draft model (" + e.getMessage() + ")", e);
            }
        }
    }
}
