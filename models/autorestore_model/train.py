"""Two-stage training, on a budget of optimizer steps, resumable.

Stage `prior`: the backbone (one FFN per block) learns a diffusion prior on clean photos: it
denoises x_t = x + t * 0.5 * eps at every noise level t (a VE diffusion denoiser).
Stage `restore`: every FFN is upcycled into D x K experts (copies of the prior's FFN), the
router is added, and the model trains for restoration on synthesised degradations with
router losses (labels are known for synthetic data) and a balance loss on sub-expert use.

Stage `router` (optional refinement): the router alone, on views built exactly as the engine
builds them (whole image downscaled + native crops), so the analysis is trained as it runs.

Degradations are synthesised by a worker process (`Batches`), so the training thread only
trains; `--bf16` runs the forward pass under bfloat16 autocast (measured in models/TRAINING.md).

Usage (settings of the shipped model: models/TRAINING.md):
  python -m models.autorestore_model.train --stage prior   --steps 2000 --out models/runs/prior.pt
  python -m models.autorestore_model.train --stage restore --steps 20000 --init models/runs/prior.pt --out models/runs/restore.pt
"""
import argparse
import json
import math
import os
import queue
import time

import torch
import torch.nn.functional as F

from . import synth
from .config import ModelConfig
from .data import CropSampler, load_photos
from .net import DegradationRouter, RestoreNet
from .sampler import make_xt


def charbonnier(a, b, eps=1e-3):
    return torch.sqrt((a - b) ** 2 + eps * eps).mean()


def lr_at(frac, base, warm=0.03):
    if frac < warm:
        return base * frac / warm
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, (frac - warm) / (1 - warm)))))


def save(path, **state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def router_losses(router, score_logits, intra_logits, plan):
    present = plan.present
    bce = F.binary_cross_entropy_with_logits(score_logits, present)
    mask = present > 0
    if mask.any():
        ce = F.cross_entropy(intra_logits[mask], plan.sub[mask])
    else:
        ce = score_logits.sum() * 0
    # Balance: the batch-mean use of each group's sub-experts should stay near uniform.
    p = torch.softmax(intra_logits, -1).mean(0)
    bal = (p * torch.log(p * p.shape[-1] + 1e-8)).sum(-1).mean()
    return bce, ce, bal


def _stream(data, dev, sizes, batch, seed, start, p_clean, degrade):
    """Batch i of a run, (x, y, plan), drawn from (seed, start) alone: the same batches whether
    the worker process or the training thread makes them, so a run is reproducible either way."""
    photos, _ = load_photos(data, dev)
    samplers = [CropSampler(photos, c, seed=seed + start + i) for i, c in enumerate(sizes)]
    g = torch.Generator(device=dev)
    g.manual_seed(seed * 7919 + start)
    i = start
    while True:
        x = samplers[i % len(samplers)].batch(batch)
        i += 1
        yield (x, *synth.degrade_batch(x, generator=g, p_clean=p_clean)) if degrade else (x, None, None)


def _synth_loop(q, *stream_args):
    """Worker process: one thread, feeding the queue with plain tensors (a Plan is rebuilt there)."""
    torch.set_num_threads(1)
    for x, y, plan in _stream(*stream_args):
        q.put((x, y, plan.present if plan else None, plan.sub if plan else None))


class Batches:
    """Training batches (x clean, y degraded, plan). On the CPU a worker process synthesises
    them ahead of the training thread (synthesis is about a third of a step's time there); on
    a GPU they are made inline on the device, where batched synthesis is fast."""

    def __init__(self, args, sizes, step0, dev, degrade):
        self.worker = None
        if dev.type == "cpu" and not args.inline_synth:
            ctx = torch.multiprocessing.get_context("spawn")  # fork after torch's threads start is unsafe
            self.q = ctx.Queue(6)
            self.worker = ctx.Process(target=_synth_loop, daemon=True, args=(
                self.q, args.data, torch.device("cpu"), sizes, args.batch, args.seed, step0, args.p_clean, degrade))
            self.worker.start()
        else:
            self.inline = _stream(args.data, dev, sizes, args.batch, args.seed, step0, args.p_clean, degrade)

    def next(self):
        if self.worker is None:
            return next(self.inline)
        while True:
            try:
                x, y, present, sub = self.q.get(timeout=10)
                break
            except queue.Empty:
                if not self.worker.is_alive():
                    raise RuntimeError(f"the synthesis worker died (exit code {self.worker.exitcode})")
        return x, y, (synth.Plan(present, sub) if present is not None else None)

    def close(self):
        if self.worker is not None:
            self.worker.terminate()
            self.worker.join()


def _load_warm(module, state, name):
    """Load weights that may predate a module added since (contract 2's `cond` and `embed`, 2.1's
    `tone`, which start at zero or fresh, and the stem's tone-mapped input, whose weights start
    at zero); any other mismatch is an error."""
    state = dict(state)
    own = module.state_dict()
    w = state.get("stem.weight")
    if w is not None and "stem.weight" in own and w.shape[1] < own["stem.weight"].shape[1]:
        wide = torch.zeros_like(own["stem.weight"], dtype=w.dtype)
        wide[:, : w.shape[1]] = w
        state["stem.weight"] = wide
        print(f"{name}: stem widened from {w.shape[1]} to {wide.shape[1]} input channels (new ones zero)")
    missing, unexpected = module.load_state_dict(state, strict=False)
    new = ("cond.", "embed.", "tone.")
    bad = [k for k in missing if not k.startswith(new)] + list(unexpected)
    if bad:
        raise SystemExit(f"{name}: checkpoint does not fit the architecture: {bad[:6]}")
    if missing:
        print(f"{name}: new since the checkpoint, freshly initialised: {sorted({k.split('.')[0] for k in missing})}")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", choices=["prior", "restore", "router"], required=True)
    ap.add_argument("--data", default="data/pack/train")
    ap.add_argument("--steps", type=int, default=1000, help="optimizer steps of this run (the budget)")
    ap.add_argument("--seconds", type=float, default=0, help="optional wall-clock cap (0: none)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--lr", type=float, default=6e-4)
    ap.add_argument("--init", help="checkpoint to start from (prior for stage restore)")
    ap.add_argument("--resume", help="continue this stage from a checkpoint (optimizer too)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--log", help="jsonl loss log (default: OUT.log.jsonl)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--teacher", type=float, default=0.5, help="share of samples routed by the true labels")
    ap.add_argument("--t1", type=float, default=0.5, help="share of samples at t=1 (the 1-step case)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--bf16", action="store_true", help="bfloat16 autocast for the forward pass")
    ap.add_argument("--inline-synth", action="store_true", help="synthesise on the training thread")
    ap.add_argument("--save-every", type=int, default=200, help="checkpoint every N steps")
    ap.add_argument("--schedule", metavar="START:END",
                    help="absolute steps over which the learning rate warms up and decays (default: this run's), "
                         "so a run stopped and resumed keeps one schedule")
    ap.add_argument("--freeze-router", action="store_true", help="restore stage: train the restorer only")
    ap.add_argument("--fresh-router", action="store_true", help="start the router from scratch (architecture changed)")
    ap.add_argument("--router-sizes", default="256,384,512", help="router stage: image sizes (multiples of 128)")
    ap.add_argument("--tone-aux", type=float, default=0.1,
                    help="restore stage: weight of the tone curve's own reconstruction loss")
    ap.add_argument("--router-weight", type=float, default=0.05,
                    help="restore stage: weight of the router's losses beside the reconstruction")
    ap.add_argument("--p-clean", type=float, default=0.08, help="share of clean samples (synth.draw_plan)")
    args = ap.parse_args(argv)

    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    cfg = ModelConfig()
    E = cfg.n_gates
    state = None
    if args.resume:
        state = load_checkpoint(args.resume)
        cfg = ModelConfig.from_dict(state["cfg"])
    elif args.init:
        init = load_checkpoint(args.init, with_opt=False)
        cfg = ModelConfig.from_dict(init["cfg"])

    if args.stage == "prior":
        net = RestoreNet(cfg, 1)
        router = None
    else:
        net = RestoreNet(cfg, E)
        router = DegradationRouter(cfg)
        if not args.resume and args.init:
            if init.get("stage") == "prior":
                prior = RestoreNet(cfg, 1)
                _load_warm(prior, init["net"], "restorer")
                prior.upcycle(E, jitter=0.01)
                # the tone curve reads the gates, so its input width follows the expert count
                _load_warm(net, {k: v for k, v in prior.state_dict().items() if not k.startswith("tone.")}, "restorer")
            else:
                _load_warm(net, init["net"], "restorer")
                if "router" in init and not args.fresh_router:
                    _load_warm(router, init["router"], "router")
    if state is not None:
        net.load_state_dict(state["net"])
        if router is not None and "router" in state:
            router.load_state_dict(state["router"])
    net.to(dev).train()
    if router is not None:
        router.to(dev).train()
    if args.stage == "router":
        net.requires_grad_(False)
        params = list(router.parameters())
    elif args.freeze_router and router is not None:
        router.requires_grad_(False)
        params = list(net.parameters())
    else:
        params = list(net.parameters()) + (list(router.parameters()) if router is not None else [])
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4, betas=(0.9, 0.99))
    if state is not None and "opt" in state and state["opt"].get("stage", state.get("stage")) == args.stage:
        o = dict(state["opt"])
        o.pop("stage", None)
        opt.load_state_dict(_trim_opt_state(o, len(params)))
    step0 = state.get("step", 0) if state else 0
    spent0 = state.get("seconds", 0.0) if state else 0.0

    sizes = [int(v) for v in args.router_sizes.split(",")] if args.stage == "router" else [args.crop]
    batches = Batches(args, sizes, step0, dev, degrade=args.stage != "prior")
    g = torch.Generator(device=dev)
    g.manual_seed(args.seed * 7919 + step0 + 1)
    log_path = args.log or args.out + ".log.jsonl"
    logf = open(log_path, "a")
    amp = dict(device_type=dev.type, dtype=torch.bfloat16, enabled=args.bf16 or dev.type == "cuda")
    print(f"stage={args.stage} device={dev} params={sum(p.numel() for p in params) / 1e6:.2f}M "
          f"steps={args.steps} batch={args.batch} crop={args.crop} bf16={amp['enabled']} "
          f"synthesis={'worker' if batches.worker else 'inline'}", flush=True)
    S, crops = cfg.analyze_size, cfg.analyze_crops

    s_start, s_end = (int(v) for v in args.schedule.split(":")) if args.schedule else (step0, step0 + args.steps)
    t_start = time.time()
    step = step0
    window, seen = {}, 0  # loss sums and step count since the last log line
    try:
        while step < step0 + args.steps and not (args.seconds and time.time() - t_start >= args.seconds):
            lr = lr_at(max(0.0, (step - s_start) / max(1, s_end - s_start)), args.lr)
            for pg in opt.param_groups:
                pg["lr"] = lr
            x, y, plan = batches.next()
            x = x.to(dev)
            n = x.shape[0]
            with torch.autocast(**amp):
                if args.stage == "prior":
                    t = torch.rand(n, generator=g, device=dev)
                    xt = x + (t * 0.5).reshape(-1, 1, 1, 1) * torch.randn(x.shape, generator=g, device=dev)
                    pred = net(xt, xt, t, torch.ones(n, 1, device=dev), torch.zeros(n, cfg.cond_dim, device=dev))
                    loss = charbonnier(pred.float(), x)
                    parts = {"l1": loss.item()}
                else:
                    y, plan = y.to(dev), synth.Plan(plan.present.to(dev), plan.sub.to(dev))
                    score_logits, intra_logits, cond = router.from_descriptors(view_descriptors(router, y, S, crops))
                    score_logits, intra_logits = score_logits.float(), intra_logits.float()
                    bce, ce, bal = router_losses(router, score_logits, intra_logits, plan)
                    acc = ((score_logits.argmax(1) == plan.present.argmax(1)) | (plan.present.sum(1) != 1)).float().mean()
                    if args.stage == "router":
                        loss = bce + ce + 0.1 * bal
                        parts = {"bce": bce.item(), "ce": ce.item(), "bal": bal.item(), "acc": acc.item()}
                    else:
                        inter_pred = router.inter_from_scores(torch.sigmoid(score_logits))
                        tot = plan.present.sum(1, keepdim=True)
                        inter_true = torch.where(tot > 0, plan.present / tot.clamp(min=1),
                                                 torch.full_like(plan.present, 1 / plan.present.shape[1]))
                        use_true = (torch.rand(n, 1, generator=g, device=dev) < args.teacher).float()
                        inter = use_true * inter_true + (1 - use_true) * inter_pred
                        gates = router.merge(inter, router.intra_gates(intra_logits))
                        t = torch.rand(n, generator=g, device=dev).clamp(min=0.02)
                        t = torch.where(torch.rand(n, generator=g, device=dev) < args.t1, torch.ones_like(t), t)
                        eps = torch.randn(x.shape, generator=g, device=dev)
                        xt = make_xt(x, y, t, cfg.noise_scale, eps)
                        pred = net(xt, y, t, gates, cond)
                        rec = charbonnier(pred.float(), x)
                        # the tone curve alone should already be the best global fit
                        tone = charbonnier(net.tone(y, cond, gates).float(), x)
                        rw = args.router_weight
                        loss = rec + args.tone_aux * tone + rw * bce + rw * ce + 0.01 * bal
                        parts = {"l1": rec.item(), "tone": tone.item(), "bce": bce.item(), "ce": ce.item(),
                                 "bal": bal.item(), "acc": acc.item()}
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
            for k, v in parts.items():
                window[k] = window.get(k, 0.0) + v
            seen += 1
            if step % 25 == 0 or step == step0 + 1:
                el = time.time() - t_start
                rec = {"step": step, "t": round(spent0 + el, 1), "lr": round(lr, 7),
                       "samples_per_s": round((step - step0) * n / max(el, 1e-9), 2),
                       **{k: round(v / seen, 5) for k, v in window.items()}}
                window, seen = {}, 0
                logf.write(json.dumps(rec) + "\n")
                logf.flush()
                if step % 200 == 0 or step == step0 + 1:
                    print(json.dumps(rec), flush=True)
            if step % args.save_every == 0:
                _save(args, net, router, opt, cfg, step, spent0 + time.time() - t_start)
    finally:
        batches.close()
    _save(args, net, router, opt, cfg, step, spent0 + time.time() - t_start)
    logf.close()
    print(f"done: {step - step0} steps in {time.time() - t_start:.0f}s "
          f"({(step - step0) * args.batch / max(1e-9, time.time() - t_start):.1f} samples/s) -> {args.out}", flush=True)


def view_descriptors(router, y, S, crops):
    """The router's descriptors [n, V, F] of the engine's views of each training image; a crop
    of side S (or less: tests) is its own whole view and every native crop, so it is described once."""
    n, _, H, _ = y.shape
    if H <= S:
        return router.descriptor(y)[:, None].expand(n, 1 + crops, -1)
    v = analysis_views(y, S, crops)
    return router.descriptor(v.flatten(0, 1)).reshape(n, v.shape[1], -1)


def analysis_views(y, S, crops):
    """The analyze graph's views for a batch of square images whose side is a multiple of S:
    the whole image box-downscaled to S, then native S x S crops centred on a grid (models/README.md)."""
    n, _, H, W = y.shape
    views = [F.avg_pool2d(y, H // S) if H != S else y]
    g = int(round(crops ** 0.5))
    for i in range(g):
        for j in range(g):
            cy, cx = int((i + 0.5) * H / g), int((j + 0.5) * W / g)
            y0, x0 = min(max(0, cy - S // 2), H - S), min(max(0, cx - S // 2), W - S)
            views.append(y[:, :, y0:y0 + S, x0:x0 + S])
    return torch.stack(views, 1)


def _trim_opt_state(o, n_params):
    """Optimizer state saved with the router's parameters after the restorer's, resumed with the
    router frozen (--freeze-router): keep the restorer's moments, which come first."""
    group = o["param_groups"][0]
    if len(o["param_groups"]) == 1 and len(group["params"]) > n_params:
        keep = group["params"][:n_params]
        o = dict(o, param_groups=[dict(group, params=keep)], state={k: v for k, v in o["state"].items() if k in set(keep)})
    return o


def opt_path(path):
    return path[:-3] + ".opt.pt" if path.endswith(".pt") else path + ".opt"


def load_checkpoint(path, with_opt=True):
    st = torch.load(path, map_location="cpu", weights_only=False)
    if with_opt and "opt" not in st and os.path.exists(opt_path(path)):
        opt = torch.load(opt_path(path), map_location="cpu", weights_only=False)
        opt["state"] = {k: {kk: (vv.float() if torch.is_tensor(vv) and vv.dim() > 0 else vv) for kk, vv in v.items()}
                        for k, v in opt["state"].items()}
        st["opt"] = opt
    return st


def _save(args, net, router, opt, cfg, step, seconds):
    """Weights and optimizer go to separate files (optimizer moments in bf16) so that no file
    passes the GPU machine's 16 MiB limit on files brought back."""
    st = {"stage": args.stage if args.stage != "router" else "restore", "cfg": json.loads(cfg.to_json()),
          "net": net.state_dict(), "step": step, "seconds": seconds}
    if router is not None:
        st["router"] = router.state_dict()
    save(args.out, **st)
    o = opt.state_dict()
    o["state"] = {k: {kk: (vv.to(torch.bfloat16) if torch.is_tensor(vv) and vv.dim() > 0 else vv) for kk, vv in v.items()}
                  for k, v in o["state"].items()}
    o["stage"] = args.stage
    save(opt_path(args.out), **o)


if __name__ == "__main__":
    main()
