package dev.ldm.serve.api;

import dev.ldm.generate.GenerateRequest;
import dev.ldm.request.OutputWriter;
import dev.ldm.serve.Job;
import dev.ldm.serve.JobImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How ldm's job API shows a job: its state, its settings (no server paths) and links to its images. */
final class JobJson {
    static final String JOBS = "/ldm/v1/jobs";

    private JobJson() {}

    /** @param position 0 running, 1.. waiting, -1 finished */
    static Map<String, Object> of(Job.Snapshot s, int position) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("status", s.status().word());
        m.put("position", position < 0 ? null : position);
        m.put("step", s.step());
        m.put("total", s.total());
        m.put("progress", s.progress());
        m.put("error", s.error());
        m.put("created", s.created());
        m.put("started", s.started() == 0 ? null : s.started());
        m.put("finished", s.finished() == 0 ? null : s.finished());
        m.put("request", request(s.request()));
        List<Map<String, Object>> images = new ArrayList<>();
        for (JobImage img : s.images()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("index", img.index());
            i.put("seed", img.request().seed());
            i.put("url", JOBS + "/" + s.id() + "/images/" + img.index());
            i.put("name", fileName(s, img));
            i.put("saved", img.file());
            i.put("bytes", img.png().length);
            images.add(i);
        }
        m.put("images", images);
        return m;
    }

    /** The settings under the job API's own names (the init image by its hash, not its path). */
    static Map<String, Object> request(GenerateRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", r.prompt());
        m.put("negative", r.negative());
        m.put("steps", r.steps());
        m.put("cfg", r.cfg());
        m.put("seed", r.seed());
        m.put("n", r.n());
        m.put("size", r.size());
        m.put("sampler", r.sampler());
        m.put("shift", r.shift());
        m.put("cfg-interval", r.cfgInterval().toString());
        if (r.init() != null) {
            m.put("strength", r.init().strength());
            m.put("init_image_sha256", r.init().sha256());
        }
        if (r.draftStrength() != null) {
            m.put("draft-strength", r.draftStrength());
        }
        if (r.draftAnchor() != null) {
            m.put("draft-anchor", r.draftAnchor());
        }
        if (r.draftColour() != null) {
            m.put("draft-colour", r.draftColour());
        }
        if (r.tagGuidance() != null) {
            m.put("tag-guidance", r.tagGuidance());
        }
        return m;
    }

    /** The name a browser saves an image under: its saved name, or the same pattern without a number. */
    static String fileName(Job.Snapshot s, JobImage img) {
        if (img.file() != null) {
            return img.file();
        }
        return OutputWriter.slug(img.request().prompt()) + "-" + img.request().seed() + ".png";
    }
}
