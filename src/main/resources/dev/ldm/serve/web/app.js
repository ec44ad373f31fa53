// ldm serve's page: a form that submits jobs to /ldm/v1/jobs, follows each one's progress as
// server-sent events and shows the results with their settings. No dependencies.
"use strict";

const $ = (id) => document.getElementById(id);
const API = "/ldm/v1";
const FIELDS = ["prompt", "negative", "steps", "cfg", "seed", "sampler", "size", "n", "strength"];
const STORE = "ldm-serve-form";

let info = null;
let initImage = null; // data: URL of the img2img image, or null
const active = new Map(); // job id -> latest state, for the top progress bar

// ---- start-up -------------------------------------------------------------------------------

async function start() {
  try {
    info = await call("GET", "/info");
  } catch (e) {
    $("model").textContent = "cannot reach the server: " + e.message;
    return;
  }
  const m = info.model;
  $("model").textContent = `${m.name} · ${m.size}×${m.size} px · DiT on ${m.dit_runtime}`;
  for (const s of info.samplers) $("sampler").append(new Option(s, s));
  for (let s = m.sizes.min; s <= m.sizes.max; s += m.sizes.step) $("size").append(new Option(`${s} × ${s}`, s));
  $("size").value = m.size;
  $("steps").placeholder = m.defaults.steps;
  $("steps").max = info.limits.maxSteps;
  $("cfg").placeholder = m.defaults.cfg;
  $("sampler").value = m.defaults.sampler;
  $("n").max = info.limits.maxN;
  restoreForm();
  $("prompt").focus();
  topBar();
}

// ---- the form -------------------------------------------------------------------------------

function readForm() {
  const body = { prompt: $("prompt").value.trim() };
  const negative = $("negative").value.trim();
  if (negative) body.negative = negative;
  for (const [id, parse] of [["steps", parseInt], ["cfg", parseFloat], ["seed", parseInt], ["n", parseInt]]) {
    const v = $(id).value.trim();
    if (v !== "") body[id] = parse(v, 10);
  }
  body.sampler = $("sampler").value;
  body.size = parseInt($("size").value, 10);
  if (initImage) {
    body.init_image = initImage;
    body.strength = parseFloat($("strength").value);
  }
  return body;
}

function fillForm(r, image) {
  $("prompt").value = r.prompt ?? "";
  $("negative").value = r.negative ?? "";
  $("steps").value = r.steps ?? "";
  $("cfg").value = r.cfg ?? "";
  $("seed").value = r.seed ?? "";
  $("n").value = r.n ?? 1;
  if (r.sampler) $("sampler").value = r.sampler;
  if (r.size) $("size").value = r.size;
  setInit(image || null);
  if (r.strength != null) setStrength(r.strength);
  saveForm();
}

function saveForm() {
  const values = {};
  for (const id of FIELDS) values[id] = $(id).value;
  try { localStorage.setItem(STORE, JSON.stringify(values)); } catch (e) { /* private mode */ }
}

function restoreForm() {
  let values = null;
  try { values = JSON.parse(localStorage.getItem(STORE)); } catch (e) { values = null; }
  if (!values) return;
  for (const id of FIELDS) {
    if (values[id] == null) continue;
    if ($(id).tagName === "SELECT" && ![...$(id).options].some((o) => o.value === values[id])) continue;
    $(id).value = values[id];
  }
  $("strength-value").textContent = $("strength").value;
}

function setStrength(v) {
  $("strength").value = v;
  $("strength-value").textContent = Number(v).toFixed(2);
}

function showError(message, field) {
  document.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
  $("error").hidden = !message;
  $("error").textContent = message || "";
  const id = { init_image: "drop", negative: "negative" }[field] || field;
  if (id && $(id)) {
    $(id).classList.add("invalid");
    $(id).focus?.();
  }
}

// ---- img2img --------------------------------------------------------------------------------

function setInit(dataUrl) {
  initImage = dataUrl;
  $("init-preview").hidden = !dataUrl;
  if (dataUrl) $("init-preview").src = dataUrl; else $("init-preview").removeAttribute("src");
  $("drop-text").textContent = dataUrl ? "image chosen: the result starts from it" : "Drop, paste or choose an image";
  $("init-clear").hidden = !dataUrl;
  $("strength-row").hidden = !dataUrl;
}

function readImage(file) {
  if (!file || !file.type.startsWith("image/")) return;
  const reader = new FileReader();
  reader.onload = () => setInit(reader.result);
  reader.readAsDataURL(file);
}

// ---- jobs -----------------------------------------------------------------------------------

async function call(method, path, body) {
  const res = await fetch(API + path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) {
    const e = new Error(data.error || `HTTP ${res.status}`);
    e.field = data.field;
    e.retryAfter = res.headers.get("Retry-After");
    throw e;
  }
  return data;
}

async function submit(event) {
  event?.preventDefault();
  const body = readForm();
  if (!body.prompt) {
    showError("Write a prompt first.", "prompt");
    return;
  }
  saveForm();
  let job;
  try {
    job = await call("POST", "/jobs", body);
  } catch (e) {
    showError(e.message + (e.retryAfter ? ` (try again in ${e.retryAfter} s)` : ""), e.field);
    return;
  }
  showError(null);
  const card = addCard(job, initImage);
  follow(job, card);
}

function addCard(job, image) {
  const card = $("card").content.firstElementChild.cloneNode(true);
  card.dataset.id = job.id;
  card.querySelector(".prompt").textContent = job.request.prompt;
  card.querySelector(".settings").textContent = describe(job.request);
  card.querySelector(".cancel").addEventListener("click", () => call("DELETE", `/jobs/${job.id}`).catch(() => {}));
  card.querySelector(".reuse").addEventListener("click", () => {
    fillForm(job.request, image);
    window.scrollTo({ top: 0, behavior: "smooth" });
    $("prompt").focus();
  });
  $("empty").hidden = true;
  $("gallery").prepend(card);
  update(card, job);
  return card;
}

function describe(r) {
  const parts = [`${r.steps} steps`, `guidance ${r.cfg}`, `seed ${r.seed}`, r.sampler, `${r.size}×${r.size}`];
  if (r.n > 1) parts.push(`${r.n} images`);
  if (r.strength != null) parts.push(`img2img strength ${r.strength}`);
  if (r["draft-strength"] != null) parts.push(`redrawn from the draft at ${r["draft-strength"]}`);
  if (r["draft-anchor"] != null) parts.push(`the draft's layout kept in ${r["draft-anchor"]}×${r["draft-anchor"]} blocks`);
  if (r["draft-colour"] === "free") parts.push("its colour left free");
  if (r["draft-colour"] === "auto") parts.push("its colour freed where the draft misses the named hue");
  if (r["tag-guidance"] != null) parts.push(`tag guidance ${r["tag-guidance"]}`);
  if (r.negative) parts.push(`not “${r.negative}”`);
  return parts.join(" · ");
}

/** Follows a job by server-sent events, falling back to polling if the stream breaks. */
function follow(job, card) {
  const source = new EventSource(`${API}/jobs/${job.id}/events`);
  let finished = false;
  source.addEventListener("progress", (e) => update(card, JSON.parse(e.data)));
  source.addEventListener("done", (e) => {
    finished = true;
    source.close();
    update(card, JSON.parse(e.data));
  });
  source.onerror = () => {
    source.close();
    if (!finished) poll(job.id, card);
  };
}

async function poll(id, card) {
  try {
    const job = await call("GET", `/jobs/${id}`);
    update(card, job);
    if (!["done", "failed", "cancelled"].includes(job.status)) setTimeout(() => poll(id, card), 400);
  } catch (e) {
    update(card, { id, status: "failed", error: e.message, images: [], progress: 1 });
  }
}

function update(card, job) {
  const status = card.querySelector(".status");
  const finished = ["done", "failed", "cancelled"].includes(job.status);
  card.classList.toggle("finished", finished);
  card.classList.toggle("failed", job.status === "failed");
  card.classList.toggle("cancelled", job.status === "cancelled");
  card.dataset.status = job.status;
  if (job.status === "queued") status.textContent = job.position > 1 ? `waiting, ${job.position - 1} ahead` : "waiting";
  else if (job.status === "running") status.textContent = job.total ? `step ${job.step} of ${job.total}` : "starting";
  else if (job.status === "done") status.textContent = `done in ${seconds(job)} s`;
  else status.textContent = job.error || job.status;
  card.querySelector(".bar span").style.width = `${Math.round(100 * (job.progress || 0))}%`;
  if (job.status === "done" && !card.querySelector(".shot")) showImages(card, job);
  if (finished) active.delete(job.id); else active.set(job.id, job);
  topBar();
}

function seconds(job) {
  return job.finished && job.started ? ((job.finished - job.started) / 1000).toFixed(1) : "?";
}

function showImages(card, job) {
  const box = card.querySelector(".images");
  for (const img of job.images) {
    const shot = document.createElement("div");
    shot.className = "shot";
    const el = new Image();
    el.src = img.url;
    el.alt = `${job.request.prompt} (seed ${img.seed})`;
    el.title = `seed ${img.seed}`;
    const a = document.createElement("a");
    a.href = img.url;
    a.download = img.name;
    a.textContent = "↓";
    a.title = `Download ${img.name} (with its settings)`;
    a.setAttribute("aria-label", `download ${img.name}`);
    a.className = "download";
    shot.append(el, a);
    box.append(shot);
  }
}

function topBar() {
  const bar = $("progress");
  const running = [...active.values()].find((j) => j.status === "running");
  const p = running ? running.progress : 0;
  bar.classList.toggle("idle", active.size === 0);
  bar.querySelector("span").style.width = active.size === 0 ? "100%" : `${Math.round(100 * p)}%`;
  bar.setAttribute("aria-valuenow", String(Math.round(100 * p)));
  $("queue").textContent = active.size ? `${active.size} job${active.size > 1 ? "s" : ""} in progress` : "";
}

// ---- wiring ---------------------------------------------------------------------------------

$("form").addEventListener("submit", submit);
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") submit(e);
});
for (const id of FIELDS) $(id).addEventListener("change", saveForm);
$("random-seed").addEventListener("click", () => { $("seed").value = ""; saveForm(); });
$("strength").addEventListener("input", () => setStrength($("strength").value));
$("init").addEventListener("change", (e) => readImage(e.target.files[0]));
$("init-clear").addEventListener("click", () => { $("init").value = ""; setInit(null); });
const drop = $("drop");
for (const type of ["dragenter", "dragover"]) drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
for (const type of ["dragleave", "drop"]) drop.addEventListener(type, () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); readImage(e.dataTransfer.files[0]); });
document.addEventListener("paste", (e) => {
  const file = [...(e.clipboardData?.files || [])].find((f) => f.type.startsWith("image/"));
  if (file) readImage(file);
});
start();
