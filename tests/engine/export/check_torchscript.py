"""Outside check of an exported model with Python's own TorchScript loader.

usage: check_torchscript.py MODEL.pt CASE_DIR
CASE_DIR/case.json lists the input and the outputs C++ computed, each a raw
little-endian float32 file with its shape. Exits 0 when the model loads, meets the
teacher contract and agrees with C++ within the tolerance; prints the reason otherwise.
"""
import json
import os
import sys

import torch


def read(case_dir, entry):
    n = 1
    for s in entry["shape"]:
        n *= s
    t = torch.from_file(os.path.join(case_dir, entry["file"]), size=n, dtype=torch.float32)
    return t.reshape(entry["shape"])


def main():
    model_path, case_dir = sys.argv[1], sys.argv[2]
    case = json.load(open(os.path.join(case_dir, "case.json")))
    model = torch.jit.load(model_path, map_location="cpu")
    model.eval()
    images = read(case_dir, case["input"])
    with torch.no_grad():
        out = model(images)
    if not isinstance(out, dict):
        print(f"forward returned {type(out).__name__}, expected Dict[str, Tensor]")
        return 1
    for key in ("pred_logits", "pred_masks"):
        if key not in out:
            print(f"output '{key}' missing")
            return 1
    b = images.shape[0]
    if out["pred_logits"].dim() != 3 or out["pred_masks"].dim() != 4:
        print("wrong ranks", out["pred_logits"].shape, out["pred_masks"].shape)
        return 1
    if out["pred_logits"].shape[:2] != out["pred_masks"].shape[:2] or out["pred_logits"].shape[0] != b:
        print("batch or query counts disagree", out["pred_logits"].shape, out["pred_masks"].shape)
        return 1
    tol = case.get("tolerance", 1e-5)
    worst = 0.0
    for key, entry in case["outputs"].items():
        expected = read(case_dir, entry)
        got = out[key]
        if list(got.shape) != list(expected.shape):
            print(f"{key}: shape {list(got.shape)}, C++ gave {list(expected.shape)}")
            return 1
        diff = (got - expected).abs().max().item()
        worst = max(worst, diff)
        if not diff <= tol:
            print(f"{key}: max abs difference {diff:g} > {tol:g}")
            return 1
    names = [n for n, _ in model.named_parameters()]
    for prefix in case.get("parameter_prefixes", []):
        if not any(n.startswith(prefix) for n in names):
            print(f"no parameter named {prefix}*; have {names[:5]}...")
            return 1
    print(f"ok: {len(names)} parameters, max abs difference {worst:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
