#!/usr/bin/env bash
# The style fine-tuning measurement of the README ("Measuring a style fine-tune"):
#   scripts/style-study.sh DATA OUT [finetune options...]
# DATA is the 32 px emoji set (./ldm data emoji --out DATA), OUT a fresh folder. The first 40 Noto training
# images of single-code-point emoji (ordered by SHA-256 of "style-study/KEY") become the fine-tuning data,
# restyled with thick black outlines and captioned "..., zxq style"; the next 40 are the test concepts.
# Prints the style shift on the test concepts and the old prompts' accuracy with the LoRA.
set -euo pipefail
DATA="${1:?usage: scripts/style-study.sh DATA OUT [finetune options]}"
OUT="${2:?usage: scripts/style-study.sh DATA OUT [finetune options]}"
shift 2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LDM="$HERE/ldm"
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
"$LDM" finetune --from "$HERE/models/default" --data "$OUT/data" --out "$OUT/lora" --lora 8 "$@"
"$LDM" eval style --lora "$OUT/lora/lora.safetensors" --style outline --prompts "$OUT/test-prompts.txt" \
  --base-prompts "$OUT/base-prompts.txt" --real "$OUT/test-real" --k 2
"$LDM" eval --lora "$OUT/lora/lora.safetensors" --classifier "$HERE/models/default/judge" \
  --data "$DATA/heldout/style" --prompts "$HERE/prompts/emoji-eval.txt" --k 2
