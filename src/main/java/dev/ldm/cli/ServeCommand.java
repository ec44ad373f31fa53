package dev.ldm.cli;

import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.Generator;
import dev.ldm.serve.ModelInfo;
import dev.ldm.serve.Renderer;
import dev.ldm.serve.ServeLimits;
import dev.ldm.serve.api.Server;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm serve}: the model loaded once behind a web page, AUTOMATIC1111's and OpenAI's APIs and a job API. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the model over HTTP: a web page at /, the AUTOMATIC1111 API (/sdapi/v1/), the OpenAI "
                + "images API (/v1/) and ldm's job API (/ldm/v1/). Ctrl-C stops it.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DiTRuntimeOption ditRuntime;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: "
            + "${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every network, best with --api-key).")
    String host;

    @Option(names = "--port", defaultValue = "7860", description = "Port (default: ${DEFAULT-VALUE}, as "
            + "AUTOMATIC1111; 0 picks a free one).")
    int port;

    @Option(names = "--model", defaultValue = ModelFolder.DEFAULT, description = "Model folder (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:LDM_API_KEY}",
            description = "Require this key: Authorization: Bearer KEY, or HTTP basic auth with the key as password"
                    + " (any user name). Default: the LDM_API_KEY environment variable, else none.")
    String apiKey;

    @Option(names = "--cors", paramLabel = "ORIGIN", split = ",", description = "Let web pages from this origin "
            + "(https://example.org) call the server; repeatable; * for any. Other origins are refused (403).")
    List<String> cors = new ArrayList<>();

    @Option(names = "--save", description = "Also write every image to the outputs folder (NNNNN-slug-seed.png, as"
            + " generate does) before its job counts as done; init images go to its init-images/.")
    boolean save;

    @Option(names = "--out", defaultValue = "outputs", description = "Outputs folder for --save (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--queue-size", defaultValue = "16", description = "Jobs that may wait; more are refused with 503"
            + " and Retry-After (default: ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(names = "--max-steps", defaultValue = "150", description = "Most sampler steps per request (default: "
            + "${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--max-n", defaultValue = "8", description = "Most images per request (default: ${DEFAULT-VALUE}).")
    int maxN;

    @Option(names = "--max-prompt-length", defaultValue = "2000", description = "Most characters in a prompt "
            + "(default: ${DEFAULT-VALUE}).")
    int maxPromptLength;

    @Option(names = "--max-body-bytes", defaultValue = "16777216", description = "Largest request body (default: "
            + "${DEFAULT-VALUE}, 16 MiB).")
    long maxBodyBytes;

    @Option(names = "--max-image-side", defaultValue = "2048", description = "Largest image side a request may ask"
            + " for or upload (an init image's header is checked before decoding) (default: ${DEFAULT-VALUE}).")
    int maxImageSide;

    @Option(names = "--keep-jobs", defaultValue = "64", description = "Finished jobs kept in memory with their "
            + "images for the job API and the page (default: ${DEFAULT-VALUE}).")
    int keepJobs;

    @Override
    public Integer call() throws InterruptedException {
        ServeLimits limits = new ServeLimits(queueSize, maxSteps, maxN, maxPromptLength, maxBodyBytes, maxImageSide,
                keepJobs);
        String key = apiKey == null || apiKey.isBlank() ? null : apiKey;
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (key == null && !loopback(host)) {
            stderr.println("ldm: warning: listening on " + host + " without --api-key: anyone who can reach this "
                    + "machine can use the server");
        }
        ModelFolder folder = ModelFolder.open(ModelFolder.locate(model));
        Generator generator = Generator.open(folder, common.device(), List.of(), ditRuntime.runtime());
        Renderer renderer = null;
        Server server = null;
        try {
            ModelInfo info = Renderer.describe(folder, generator);
            renderer = new Renderer(generator, info, limits, save ? out : null);
            server = Server.start(renderer, new Server.Settings(host, port, key, cors));
        } catch (RuntimeException e) {
            if (renderer != null) {
                renderer.close(0);
            }
            generator.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Server s = server;
        Renderer r = renderer;
        Thread hook = new Thread(() -> {
            s.close();
            r.close(10_000);
            generator.close();
            stopped.countDown();
        }, "ldm-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ModelInfo m = renderer.model();
        stdout.println("ldm serve: " + m.title() + ", " + m.size() + "x" + m.size() + " px, DiT in "
                + m.runtime().word() + (save ? ", saving to " + out : "") + (key != null ? ", API key required" : ""));
        stdout.println("listening on " + server.url() + "/  (Ctrl-C to stop)");
        stdout.flush();
        stopped.await();
        return 0;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
