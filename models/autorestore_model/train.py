"""Two-stage training, on a wall-clock budget, resumable.

Stage `prior`: the backbone (one FFN per block) learns a diffusion prior on clean photos: it
denoises x_t = x + t * 0.5 * eps at every noise level t (a VE diffusion denoiser).
Stage `restore`: every FFN is upcycled into D x K experts (copies of the prior's FFN), the
router is added, and the model trains for restoration on synthesised degradations with
router losses (labels are known for synthetic data) and a balance loss on sub-expert use.

Stage `router` (optional refinement): the router alone, on views built exactly as the engine
builds them (whole image downscaled + native crops), so the analysis is trained as it runs.

Usage (settings of the shipped model: models/TRAINING.md):
  python -m models.autorestore_model.train --stage prior   --seconds 60  --out models/runs/prior.pt
  python -m models.autorestore_model.train --stage restore --seconds 420 --init models/runs/prior.pt --out models/runs/restore.pt
"""
import argparse
import json
import math
import os
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


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", choices=["prior", "restore", "router"], required=True)
    ap.add_argument("--data", default="data/pack/train")
    ap.add_argument("--seconds", type=float, default=600)
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
    ap.add_argument("--freeze-router", action="store_true", help="restore stage: train the restorer only")
    ap.add_argument("--fresh-router", action="store_true", help="start the router from scratch (architecture changed)")
    ap.add_argument("--router-sizes", default="256,384,512", help="router stage: image sizes (multiples of 128)")
    ap.add_argument("--p-clean", type=float, default=0.08,
                    help="share of clean samples (the rest keeps singles:composites at 72:20)")
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
                prior.load_state_dict(init["net"])
                prior.upcycle(E, jitter=0.01)
                net.load_state_dict(prior.state_dict())
            else:
                net.load_state_dict(init["net"])
                if "router" in init and not args.fresh_router:
                    router.load_state_dict(init["router"])
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

    photos, _ = load_photos(args.data, dev)
    sizes = [int(v) for v in args.router_sizes.split(",")] if args.stage == "router" else [args.crop]
    samplers = [CropSampler(photos, c, seed=args.seed + step0 + i) for i, c in enumerate(sizes)]
    g = torch.Generator(device=dev)
    g.manual_seed(args.seed * 7919 + step0)
    log_path = args.log or args.out + ".log.jsonl"
    logf = open(log_path, "a")
    amp = dict(device_type="cuda", dtype=torch.bfloat16) if dev.type == "cuda" else dict(device_type="cpu", enabled=False)
    print(f"stage={args.stage} device={dev} photos={len(photos)} params={sum(p.numel() for p in params) / 1e6:.2f}M "
          f"budget={args.seconds:.0f}s batch={args.batch} crop={args.crop}", flush=True)

    t_start = time.time()
    last_save = t_start
    step = step0
    while True:
        spent = time.time() - t_start
        if spent >= args.seconds:
            break
        lr = lr_at(spent / args.seconds, args.lr)
        for pg in opt.param_groups:
            pg["lr"] = lr
        x = samplers[step % len(samplers)].batch(args.batch)
        n = x.shape[0]
        with torch.autocast(**amp):
            if args.stage == "router":
                y, plan = synth.degrade_batch(x, generator=g, p_clean=args.p_clean)
                v = analysis_views(y, cfg.analyze_size, cfg.analyze_crops)  # [n, V, 3, S, S]
                desc = router.pool(router.descriptor(v.flatten(0, 1)).reshape(n, v.shape[1], -1))
                score_logits, intra_logits = router.heads(desc)
                bce, ce, bal = router_losses(router, score_logits.float(), intra_logits.float(), plan)
                loss = bce + ce + 0.1 * bal
                acc = ((score_logits.argmax(1) == plan.present.argmax(1)) | (plan.present.sum(1) != 1)).float().mean()
                parts = {"bce": bce.item(), "ce": ce.item(), "bal": bal.item(), "acc": acc.item()}
            elif args.stage == "prior":
                t = torch.rand(n, generator=g, device=dev)
                xt = x + (t * 0.5).reshape(-1, 1, 1, 1) * torch.randn(x.shape, generator=g, device=dev)
                pred = net(xt, xt, t, torch.ones(n, 1, device=dev))
                loss = charbonnier(pred.float(), x)
                parts = {"l1": loss.item()}
            else:
                y, plan = synth.degrade_batch(x, generator=g, p_clean=args.p_clean)
                score_logits, intra_logits = router.heads(router.pool(router.descriptor(y)[:, None]))
                bce, ce, bal = router_losses(router, score_logits.float(), intra_logits.float(), plan)
                inter_pred = router.inter_from_scores(torch.sigmoid(score_logits.float()))
                tot = plan.present.sum(1, keepdim=True)
                inter_true = torch.where(tot > 0, plan.present / tot.clamp(min=1), torch.full_like(plan.present, 1 / plan.present.shape[1]))
                use_true = (torch.rand(n, 1, generator=g, device=dev) < args.teacher).float()
                inter = use_true * inter_true + (1 - use_true) * inter_pred
                gates = router.merge(inter, router.intra_gates(intra_logits.float()))
                t = torch.rand(n, generator=g, device=dev).clamp(min=0.02)
                t = torch.where(torch.rand(n, generator=g, device=dev) < args.t1, torch.ones_like(t), t)
                eps = torch.randn(x.shape, generator=g, device=dev)
                xt = make_xt(x, y, t, cfg.noise_scale, eps)
                pred = net(xt, y, t, gates)
                rec = charbonnier(pred.float(), x)
                loss = rec + 0.05 * bce + 0.05 * ce + 0.01 * bal
                parts = {"l1": rec.item(), "bce": bce.item(), "ce": ce.item(), "bal": bal.item()}
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        if step % 50 == 0 or step == step0 + 1:
            rec = {"step": step, "t": round(spent0 + spent, 1), "lr": lr, **{k: round(v, 5) for k, v in parts.items()}}
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            if step % 200 == 0 or step == step0 + 1:
                print(json.dumps(rec), flush=True)
        if time.time() - last_save > 120:
            _save(args, net, router, opt, cfg, step, spent0 + time.time() - t_start)
            last_save = time.time()
    _save(args, net, router, opt, cfg, step, spent0 + time.time() - t_start)
    logf.close()
    print(f"done: {step - step0} steps in {time.time() - t_start:.0f}s "
          f"({(step - step0) * args.batch / max(1e-9, time.time() - t_start):.1f} samples/s) -> {args.out}", flush=True)


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
