"""Compare two evaluations (evaluate.py JSON) of the same photos and degradations, and apply
the shipping rule: a candidate ships only if its mean gain over the input is higher and no
degradation type is worse than the shipped model's by more than 0.3 dB (auto mode, the best
step count of each).

  python -m models.autorestore_model.compare --before shipped.json --after candidate.json [--markdown]

Exit status 0 = ship, 1 = keep the shipped model (the table says why).
"""
import argparse
import json
import sys

from . import DEGRADATIONS

MAX_TYPE_LOSS_DB = 0.3


def _auto(table, key, k):
    d = table.get(key, {})
    v = d.get(f"ours_auto_{k}")
    return v["psnr"] if v else None


def decide(before, after):
    """(ship, reasons): the shipping rule on two evaluation summaries."""
    reasons = []
    if before["mean_gain_db"] >= after["mean_gain_db"]:
        reasons.append(f"mean gain {after['mean_gain_db']:+.2f} dB is not above {before['mean_gain_db']:+.2f} dB")
    for t in DEGRADATIONS:
        loss = before["gain_db"][t] - after["gain_db"][t]
        if loss > MAX_TYPE_LOSS_DB:
            reasons.append(f"{t} is {loss:.2f} dB worse")
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
    ship, reasons = decide(before, after)
    lines.append("")
    lines.append("Shipping rule (mean gain higher, no type worse by more than 0.3 dB): "
                 + ("**ship**." if ship else "**keep the shipped model**: " + "; ".join(reasons) + "."))
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
