// Asks a running `ldm serve` for images through the official OpenAI client, as any third-party
// program would. Environment: LDM_URL (http://127.0.0.1:PORT), LDM_API_KEY, LDM_SIZE (e.g. 8x8),
// LDM_OUT (a folder the PNGs are written to). Prints one JSON line; exits 1 with the error's
// status and message when the request fails.
import OpenAI from "openai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const client = new OpenAI({
  baseURL: `${process.env.LDM_URL}/v1`,
  apiKey: process.env.LDM_API_KEY || "no-key",
  maxRetries: 0,
});
try {
  const models = await client.models.list();
  const result = await client.images.generate({
    model: models.data[0].id,
    prompt: "a red circle",
    n: 2,
    size: process.env.LDM_SIZE,
    response_format: "b64_json",
  });
  result.data.forEach((image, i) => writeFileSync(join(process.env.LDM_OUT, `openai-${i}.png`),
    Buffer.from(image.b64_json, "base64")));
  console.log(JSON.stringify({ model: models.data[0].id, images: result.data.length, created: result.created }));
} catch (e) {
  console.log(JSON.stringify({ error: e.constructor.name, status: e.status ?? null, message: e.message }));
  process.exit(1);
}
