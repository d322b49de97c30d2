"""Compare two evaluations (evaluate.py JSON) of the same photos and degradations, and apply
the shipping rule: a candidate ships only if its mean gain over the input is higher, no
degradation type is worse than the shipped model's by more than 0.3 dB, and clean photos are
never worse: on the clean photos in colour and in gray, the mean and the min PSNR of one click
against the photo are at least the shipped model's less 0.05 dB (auto mode = one click, the best
step count of each).

  python -m models.autorestore_model.compare --before shipped.json --after candidate.json [--markdown]

Exit status 0 = ship, 1 = keep the shipped model (the table says why).
"""
import argparse
import json
import sys

from . import DEGRADATIONS

MAX_TYPE_LOSS_DB = 0.3
CLEAN_TOLERANCE_DB = 0.05
RULE = ("mean gain higher, no type worse by more than 0.3 dB, clean photos never worse "
        "(mean and min PSNR, colour and gray, within 0.05 dB)")


def _auto(table, key, k):
    d = table.get(key, {})
    v = d.get(f"ours_auto_{k}")
    return v["psnr"] if v else None


def clean_check(before, after):
    """Reasons the candidate's clean photos are worse ([] = never worse). Each variant measured
    in the reference (colour, gray) must be in the candidate, its mean and min PSNR at least the
    reference's less CLEAN_TOLERANCE_DB. Two evaluations of the older format (no per-variant
    clean results) give None: not measured."""
    cb, ca = before.get("clean") or {}, after.get("clean") or {}
    variants = [v for v in cb if v != "all"]
    if not variants and not ca:
        return None
    if not variants:
        return ["the reference evaluation has no clean-photo results (re-run evaluate.py on the shipped model)"]
    reasons = []
    for v in variants:
        if v not in ca:
            reasons.append(f"clean {v} photos not measured for the candidate")
            continue
        for stat in ("mean", "min"):
            b, a = cb[v][stat], ca[v][stat]
            if a < b - CLEAN_TOLERANCE_DB:
                reasons.append(f"clean {v} photos: {stat} PSNR {a:.2f} dB is below {b:.2f} dB")
    return reasons


def decide(before, after):
    """(ship, reasons): the shipping rule on two evaluation summaries."""
    reasons = []
    if before["mean_gain_db"] >= after["mean_gain_db"]:
        reasons.append(f"mean gain {after['mean_gain_db']:+.2f} dB is not above {before['mean_gain_db']:+.2f} dB")
    for t in DEGRADATIONS:
        loss = before["gain_db"][t] - after["gain_db"][t]
        if loss > MAX_TYPE_LOSS_DB:
            reasons.append(f"{t} is {loss:.2f} dB worse")
    reasons += clean_check(before, after) or []
    return not reasons, reasons


def rows(before, after):
    """One row per type, sub-type, composite and clean: auto PSNR before/after, router accuracy."""
    tb, ta = before["table"], after["table"]
    kb, ka = before["best_steps"], after["best_steps"]
    keys = list(DEGRADATIONS) + [x for x in ("composite", "clean") if x in ta]
    keys += sorted(x for x in ta if "/" in x)
    out = []
    for key in keys:
        b, a = _auto(tb, key, kb), _auto(ta, key, ka)
        inp = tb.get(key, {}).get("input", {}).get("psnr")
        out.append({"key": key, "input": inp, "before": b, "after": a,
                    "delta": (a - b) if a is not None and b is not None else None,
                    "router_before": tb.get(key, {}).get("router_acc"), "router_after": ta.get(key, {}).get("router_acc")})
    return out


def markdown(before, after):
    f = lambda v, fmt: "-" if v is None else format(v, fmt)
    lines = ["| | input | before (auto) | after (auto) | change | router before | router after |",
             "|---|---|---|---|---|---|---|"]
    for r in rows(before, after):
        lines.append(f"| {r['key']} | {f(r['input'], '.2f')} | {f(r['before'], '.2f')} | {f(r['after'], '.2f')} | "
                     f"{f(r['delta'], '+.2f')} | {f(r['router_before'] and r['router_before'] * 100, '.0f')}% | "
                     f"{f(r['router_after'] and r['router_after'] * 100, '.0f')}% |")
    lines.append(f"| **mean gain (types)** | | {before['mean_gain_db']:+.2f} dB | {after['mean_gain_db']:+.2f} dB | "
                 f"{after['mean_gain_db'] - before['mean_gain_db']:+.2f} | {before['router_acc_single'] * 100:.1f}% | "
                 f"{after['router_acc_single'] * 100:.1f}% |")
    cb, ca = before.get("clean") or {}, after.get("clean") or {}
    for v in [v for v in ("colour", "gray") if v in cb or v in ca]:
        for stat in ("mean", "min"):
            b, a = (cb.get(v) or {}).get(stat), (ca.get(v) or {}).get(stat)
            lines.append(f"| clean {v}: {stat} PSNR | | {f(b, '.2f')} | {f(a, '.2f')} | "
                         f"{f(None if a is None or b is None else a - b, '+.2f')} | | |")
        b, a = (cb.get(v) or {}).get("nothing_to_repair_share"), (ca.get(v) or {}).get("nothing_to_repair_share")
        lines.append(f"| clean {v}: nothing to repair | | {f(b and b * 100, '.0f')}% | {f(a and a * 100, '.0f')}% | | | |")
    ship, reasons = decide(before, after)
    lines.append("")
    lines.append(f"Shipping rule ({RULE}): "
                 + ("**ship**." if ship else "**keep the shipped model**: " + "; ".join(reasons) + "."))
    if clean_check(before, after) is None:
        lines.append("Clean photos: not measured in these evaluations (older format); re-run evaluate.py on both to check.")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", required=True, help="evaluation JSON of the shipped model")
    ap.add_argument("--after", required=True, help="evaluation JSON of the candidate")
    a = ap.parse_args(argv)
    with open(a.before) as f:
        before = json.load(f)["summary"]
    with open(a.after) as f:
        after = json.load(f)["summary"]
    if before.get("photos") != after.get("photos") or before.get("crop") != after.get("crop"):
        raise SystemExit("the two evaluations used different photos or crops")
    print(markdown(before, after))
    ship, _ = decide(before, after)
    return 0 if ship else 1


if __name__ == "__main__":
    sys.exit(main())
