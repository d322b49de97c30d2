#!/usr/bin/env bash
# One GPU-machine call: both training stages on a wall-clock budget, checkpoints into $OUT.
# Usage (on the device machine, from the repo root):
#   PRIOR_S=45 RESTORE_S=430 bash models/scripts/train_device.sh            # fresh
#   RESUME=models/checkpoints/restore.pt RESTORE_S=480 bash models/scripts/train_device.sh   # continue
# Needs data/pack/train (carried) and PyTorch with CUDA. Without $OUT it writes models/runs/.
set -euo pipefail
OUT=${OUT:-models/runs}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
$PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
BATCH=${BATCH:-48}
if [ -n "${RESUME:-}" ]; then
  $PY -m models.autorestore_model.train --stage restore --resume "$RESUME" --seconds "${RESTORE_S:-480}" \
      --batch "$BATCH" --lr "${LR:-4e-4}" --out "$OUT/restore.pt" --log "$OUT/restore.log.jsonl"
else
  $PY -m models.autorestore_model.train --stage prior --seconds "${PRIOR_S:-45}" --batch "$BATCH" --lr 1e-3 \
      --out "$OUT/prior.pt" --log "$OUT/prior.log.jsonl"
  $PY -m models.autorestore_model.train --stage restore --init "$OUT/prior.pt" --seconds "${RESTORE_S:-430}" \
      --batch "$BATCH" --lr "${LR:-8e-4}" --out "$OUT/restore.pt" --log "$OUT/restore.log.jsonl"
fi
ls -la "$OUT"
