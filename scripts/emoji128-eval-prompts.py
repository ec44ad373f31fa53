#!/usr/bin/env python3
"""Writes the 128 px model's evaluation prompt files into prompts/ from a data set built with
`ldm data emoji --out DATA --size 128` (standard library only):

  emoji128-eval.txt           the captions of DATA/heldout/style: concepts trained in other styles, never in this one
  emoji128-eval-train.txt     150 training captions: the first 150 training images by SHA-256 of their relative path
  emoji128-eval-phrases.jsonl the same 150 concepts phrased freely with no style: "a fox", "an orange fox" (the colour
                              measured on the image, as in its caption file) and "a drawing of a fox", each
                              in its group (bare, colour, drawing), which `ldm eval` reports on its own
  emoji128-eval-shared.txt    the held-out-style captions of the styles the 32 px set also has (noto, twemoji)
  emoji128-eval-train-shared.txt
                              150 training captions of those styles (first 150 by SHA-256 of their path)
The two "shared" files let the shipped 32 px judge (trained on noto, twemoji and Fluent 3D at 32 px) score the
128 px model on downsampled images, so its figures compare with the 32 px model's on the same judge.

Usage: scripts/emoji128-eval-prompts.py DATA
"""
import hashlib
import json
import os
import sys
from pathlib import Path


def captions(path):
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def label(caption):
    head, sep, tail = caption.rpartition(", ")
    return head if sep and tail.endswith(" style") else caption


def article(phrase):
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def write(path, lines):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/emoji128-eval-prompts.py DATA")
    data = Path(sys.argv[1])
    train, style = data / "train", data / "heldout" / "style"
    if not train.is_dir() or not style.is_dir():
        sys.exit(f"error: {data} has no train/ and heldout/style/")
    out = Path(__file__).resolve().parent.parent / "prompts"

    heldout = sorted(style.rglob("*.txt"), key=lambda p: p.relative_to(style).as_posix())
    write(out / "emoji128-eval.txt", [
        "# ldm eval prompts for the 128 px emoji model: the captions of DATA/heldout/style (concept-style pairs whose",
        "# concept is trained in the other styles but never in this one). Built by scripts/emoji128-eval-prompts.py.",
    ] + [captions(p)[0] for p in heldout])

    rel = [p.relative_to(train).as_posix() for p in train.rglob("*.txt")]
    chosen = sorted(rel, key=lambda r: hashlib.sha256(r.encode("utf-8")).hexdigest())[:150]
    write(out / "emoji128-eval-train.txt", [
        "# ldm eval prompts: 150 training captions of the 128 px emoji set (the first 150 by SHA-256 of their path).",
    ] + [captions(train / r)[0] for r in chosen])

    lines = [
        "# ldm eval prompts (JSON Lines): free phrasings of the 150 training concepts of emoji128-eval-train.txt, with no",
        "# style: \"a fox\", \"an orange fox\" (the colour measured on the image) and the unseen template \"a drawing of a fox\";",
        "# each names its class, and its group (bare, colour, drawing) for the figures per phrasing.",
    ]
    for r in chosen:
        c = captions(train / r)
        concept = label(c[0])
        prompts = [(article(concept), "bare")] + ([(label(c[2]), "colour")] if len(c) > 2 else []) \
            + [("a drawing of " + article(concept), "drawing")]
        lines += [json.dumps({"prompt": p, "label": concept, "group": g}, ensure_ascii=False) for p, g in prompts]
    write(out / "emoji128-eval-phrases.jsonl", lines)
    shared = ("noto", "twemoji")
    write(out / "emoji128-eval-shared.txt", [
        "# ldm eval prompts: the held-out-style captions of the 128 px set in the styles the 32 px set also has",
        "# (" + ", ".join(shared) + "), for the shipped 32 px judge. Built by scripts/emoji128-eval-prompts.py.",
    ] + [captions(p)[0] for p in heldout if p.relative_to(style).parts[0] in shared])
    shared_rel = [r for r in rel if r.split("/")[0] in shared]
    chosen_shared = sorted(shared_rel, key=lambda r: hashlib.sha256(r.encode("utf-8")).hexdigest())[:150]
    write(out / "emoji128-eval-train-shared.txt", [
        "# ldm eval prompts: 150 training captions of the 128 px set in the styles the 32 px set also has",
        "# (" + ", ".join(shared) + "; the first 150 by SHA-256 of their path), for the shipped 32 px judge.",
    ] + [captions(train / r)[0] for r in chosen_shared])
    for name in ("emoji128-eval.txt", "emoji128-eval-train.txt", "emoji128-eval-phrases.jsonl",
                 "emoji128-eval-shared.txt", "emoji128-eval-train-shared.txt"):
        n = sum(1 for line in (out / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        print(f"{name}: {n} prompts")


if __name__ == "__main__":
    main()
