#!/usr/bin/env bash
# One GPU-machine call (at most 10 minutes): training on a budget of steps, capped by seconds so
# the call always returns its checkpoints into $OUT (each file < 16 MiB, the return limit).
# Usage (on the device machine, from the repo root):
#   PRIOR_STEPS=1500 RESTORE_STEPS=12000 bash models/scripts/train_device.sh                # fresh
#   RESUME=models/checkpoints/mimdit-s.pt RESTORE_STEPS=12000 bash models/scripts/train_device.sh  # continue
# Needs data/pack/train (carried) and PyTorch with CUDA. Without $OUT it writes models/runs/.
set -euo pipefail
OUT=${OUT:-models/runs}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
$PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
BATCH=${BATCH:-48}
CAP=${CAP_S:-480}
if [ -n "${RESUME:-}" ]; then
  # --init, not --resume: a checkpoint from the CPU carries no optimizer state for this batch size
  $PY -m models.autorestore_model.train --stage restore --init "$RESUME" --steps "${RESTORE_STEPS:-12000}" \
      --seconds "$CAP" --batch "$BATCH" --lr "${LR:-4e-4}" --t1 0.8 --p-clean 0.2 \
      --out "$OUT/restore.pt" --log "$OUT/restore.log.jsonl"
else
  $PY -m models.autorestore_model.train --stage prior --steps "${PRIOR_STEPS:-1500}" --seconds 60 --batch "$BATCH" \
      --lr 1e-3 --out "$OUT/prior.pt" --log "$OUT/prior.log.jsonl"
  $PY -m models.autorestore_model.train --stage restore --init "$OUT/prior.pt" --steps "${RESTORE_STEPS:-12000}" \
      --seconds "$CAP" --batch "$BATCH" --lr "${LR:-8e-4}" --out "$OUT/restore.pt" --log "$OUT/restore.log.jsonl"
fi
ls -la "$OUT"
