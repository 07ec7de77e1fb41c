#!/usr/bin/python3
"""Match quality of our labels (an OME-Zarr labels element, read with zarr 2.13) against the
reference's labels (.npy) of the same pixels (measuring instrument, not product code).

Cells are matched one-to-one at IoU >= 0.5 (two cells cannot both exceed 0.5 with the same
partner). Prints one JSON line: ours, reference (cell counts), countDiffPercent, matched, meanIoU
(mean IoU of the matched pairs).

Usage: segmentation_compare.py <labels element dir> <reference.npy>
"""

import json
import sys

import numpy as np
import zarr


def main():
    ours = np.asarray(zarr.open(sys.argv[1], mode="r")["0"][:]).astype(np.uint64)
    ref = np.load(sys.argv[2]).astype(np.uint64)
    if ours.shape != ref.shape:
        raise SystemExit(f"shape mismatch: ours {ours.shape}, reference {ref.shape}")
    o_ids, o_area = np.unique(ours[ours != 0], return_counts=True)
    r_ids, r_area = np.unique(ref[ref != 0], return_counts=True)
    both = (ours != 0) & (ref != 0)
    pairs, inter = np.unique(np.stack([ours[both], ref[both]]), axis=1, return_counts=True)
    oa = o_area[np.searchsorted(o_ids, pairs[0])]
    ra = r_area[np.searchsorted(r_ids, pairs[1])]
    iou = inter / (oa + ra - inter)
    good = iou >= 0.5
    n_ref = len(r_ids)
    print(json.dumps({
        "ours": int(len(o_ids)),
        "reference": int(n_ref),
        "countDiffPercent": float(100 * (len(o_ids) - n_ref) / n_ref) if n_ref else 0.0,
        "matched": int(good.sum()),
        "meanIoU": float(iou[good].mean()) if good.any() else 0.0,
    }))


if __name__ == "__main__":
    main()
