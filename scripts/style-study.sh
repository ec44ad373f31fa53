#!/usr/bin/env bash
# The style fine-tuning measurement of docs/RESEARCH.md ("Measuring a style fine-tune"):
#   scripts/style-study.sh DATA OUT [finetune options...]     (e.g. --no-prior, --steps 250, --lora-mlp)
# DATA is the 128 px emoji set (./ldm data emoji --out DATA --size 128), OUT a fresh folder. The first 40 Noto
# training images of single-code-point emoji (ordered by SHA-256 of "style-study/KEY") become the fine-tuning
# data, restyled with thick black outlines and captioned "..., zxq style"; the next 40 are the test concepts.
# Prints the style shift on the test concepts, the old prompts' accuracy with the LoRA and the leak.
# env: MODEL (base model folder, default models/default); OLD_PROMPTS (the old prompts judged with the LoRA,
# default prompts/emoji128-eval-shared.txt); LEAK_PROMPTS (old prompts drawn with and without the LoRA, whose
# outline trait shows how far the style leaked into them; default prompts/emoji128-leak40.txt); JUDGE (default
# models/default/judge); EVAL_OPTS (more `ldm eval` options, default --no-vae-round-trip); LDM (the ldm
# launcher); RANK (LoRA rank, default 8); TRAIN_PROMPTS (training captions also judged with the LoRA against
# the Noto and Twemoji training images, default prompts/emoji128-eval-train-shared.txt; empty: not judged).
# For the 32 px model, with DATA the 32 px set (./ldm data emoji):
#   MODEL=models/default/draft OLD_PROMPTS=prompts/emoji-eval.txt LEAK_PROMPTS=prompts/emoji-leak40.txt EVAL_OPTS= TRAIN_PROMPTS=
set -euo pipefail
DATA="${1:?usage: scripts/style-study.sh DATA OUT [finetune options]}"
OUT="${2:?usage: scripts/style-study.sh DATA OUT [finetune options]}"
shift 2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LDM="${LDM:-$HERE/ldm}"
MODEL="${MODEL:-$HERE/models/default}"
JUDGE="${JUDGE:-$HERE/models/default/judge}"
OLD_PROMPTS="${OLD_PROMPTS:-$HERE/prompts/emoji128-eval-shared.txt}"
TRAIN_PROMPTS="${TRAIN_PROMPTS-$HERE/prompts/emoji128-eval-train-shared.txt}"
LEAK_PROMPTS="${LEAK_PROMPTS:-$HERE/prompts/emoji128-leak40.txt}"
SRC="$DATA/train/noto"
[[ -d "$SRC" ]] || { echo "style-study: $SRC missing (build the set with ./ldm data emoji --out $DATA)" >&2; exit 2; }
[[ ! -e "$OUT" ]] || { echo "style-study: $OUT exists; give a fresh folder" >&2; exit 2; }
mkdir -p "$OUT/src-data" "$OUT/src-test"
mapfile -t keys < <(for f in "$SRC"/*.png; do k=$(basename "$f" .png); [[ "$k" == *-* ]] && continue
  printf '%s %s\n' "$(printf 'style-study/%s' "$k" | sha256sum | cut -c1-64)" "$k"; done | sort | head -80 | cut -d' ' -f2)
: > "$OUT/test-prompts.txt"; : > "$OUT/base-prompts.txt"
for i in "${!keys[@]}"; do
  k="${keys[$i]}"; dir="$OUT/src-data"; (( i >= 40 )) && dir="$OUT/src-test"
  cp "$SRC/$k.png" "$dir/$k.png"
  sed 's/noto style/zxq style/' "$SRC/$k.txt" > "$dir/$k.txt"
  if (( i >= 40 )); then
    sed -n 2p "$dir/$k.txt" >> "$OUT/test-prompts.txt"       # "a fox, zxq style"
    sed -n 2p "$SRC/$k.txt" >> "$OUT/base-prompts.txt"       # "a fox, noto style"
  fi
done
"$LDM" data restyle --from "$OUT/src-data" --out "$OUT/data/3_zxq" --style outline
"$LDM" data restyle --from "$OUT/src-test" --out "$OUT/test-real" --style outline
"$LDM" finetune --from "$MODEL" --data "$OUT/data" --out "$OUT/lora" --lora "${RANK:-8}" "$@"
"$LDM" eval style --model "$MODEL" --lora "$OUT/lora/lora.safetensors" --style outline --prompts "$OUT/test-prompts.txt" \
  --base-prompts "$OUT/base-prompts.txt" --real "$OUT/test-real" --k 2
"$LDM" eval --model "$MODEL" --lora "$OUT/lora/lora.safetensors" --classifier "$JUDGE" \
  --data "$DATA/heldout/style" --prompts "$OLD_PROMPTS" --k 2 ${EVAL_OPTS---no-vae-round-trip}
"$LDM" eval style --model "$MODEL" --lora "$OUT/lora/lora.safetensors" --style outline --prompts "$LEAK_PROMPTS" \
  --real "$OUT/test-real" --k 2                                 # the leak: old prompts, tuned against base
if [[ -n "$TRAIN_PROMPTS" ]]; then                             # training captions, with the LoRA
  "$LDM" eval --model "$MODEL" --lora "$OUT/lora/lora.safetensors" --classifier "$JUDGE" --data "$DATA/train/noto" \
    --data "$DATA/train/twemoji" --prompts "$TRAIN_PROMPTS" --k 2 ${EVAL_OPTS---no-vae-round-trip} \
    --report "$OUT/lora/eval-train.json"
fi
