#!/usr/bin/python3
"""Python reference for scPortrait's WGA / DAPI classical segmentation (measuring instrument).

Re-states scPortrait's algorithm (spec §3.3-3.6, src/scportrait/pipeline/_utils/segmentation.py
and workflows/_wga_segmentation.py) with scikit-image / scipy called the way scPortrait calls
them. Not product code: used to compare masks and speed with the Deno plugins.

Deviation: scikit-fmm is not packaged in Debian. Its `distance` / `travel_time` are replaced by a
first-order Dijkstra-style eikonal solve on the 4-neighbour grid (scipy.sparse.csgraph.dijkstra
with edge weights 1/speed averaged over the two pixels); this over-estimates diagonal distances
(Manhattan-like metric) and is recorded in the JSON output as "fmm": "csgraph-dijkstra".

Usage: segmentation_reference.py --input img.tif|img.npy [--nucleus-channel 0]
       [--cytosol-channel 1] [--method wga|dapi] --out DIR [config keys as --key value]
Writes DIR/nucleus.npy, DIR/cytosol.npy (wga), DIR/timings.json.
"""

import argparse
import json
import os
import time

import numpy as np
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from skimage import filters
from skimage.feature import peak_local_max
from skimage.morphology import binary_erosion, dilation, disk
from skimage.segmentation import watershed
from skimage.transform import resize


def global_otsu(image):
    counts, edges = np.histogram(np.ravel(image), bins=512)
    centers = edges[:-1] + np.diff(edges) / 2
    w1 = np.cumsum(counts)
    w2 = np.cumsum(counts[::-1])[::-1]
    m1 = np.cumsum(counts * centers) / w1
    m2 = (np.cumsum((counts * centers)[::-1]) / w2[::-1])[::-1]
    return centers[np.argmax(w1[:-1] * w2[1:] * (m1[:-1] - m2[1:]) ** 2)]


def percentile_normalization(im, lo, hi):
    im = im.astype(np.float32)
    lv, hv = np.quantile(np.ravel(im), lo), np.quantile(np.ravel(im), hi)
    out = im - lv
    if hv - lv != 0:
        out = out / (hv - lv)
    return np.clip(out, 0, 1)


def eikonal(seeds, blocked, speed):
    """Arrival time from seeds on the 4-grid, never entering `blocked` (skfmm stand-in)."""
    h, w = seeds.shape
    idx = np.arange(h * w).reshape(h, w)
    free = ~blocked
    rows, cols, vals = [], [], []
    for a, b in (((slice(None), slice(0, -1)), (slice(None), slice(1, None))),
                 ((slice(0, -1), slice(None)), (slice(1, None), slice(None)))):
        ok = free[a] & free[b]
        cost = 0.5 * (1 / speed[a] + 1 / speed[b])
        rows += [idx[a][ok], idx[b][ok]]
        cols += [idx[b][ok], idx[a][ok]]
        vals += [cost[ok], cost[ok]]
    g = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                   shape=(h * w, h * w)).tocsr()
    src = np.flatnonzero(seeds & free)
    if len(src) == 0:
        return np.full((h, w), np.inf)
    d = dijkstra(g, indices=src, min_only=True)
    return d.reshape(h, w)


def labels_from_mask(mask, dil, min_distance, peak_footprint):
    distance = ndimage.distance_transform_edt(mask)
    peaks = peak_local_max(distance, min_distance=min_distance, footprint=disk(peak_footprint))
    dilated = dilation(mask, footprint=disk(dil))
    seeds = np.zeros(mask.shape, bool)
    seeds[tuple(peaks.T)] = True
    d2 = eikonal(seeds, ~dilated.astype(bool), np.ones(mask.shape))
    markers = np.zeros(mask.shape, np.int64)
    for i, (y, x) in enumerate(peaks):
        markers[y, x] = i + 1
    return watershed(d2, markers, mask=dilated).astype(np.uint64)


def edge_remove(m):
    edge = set(np.unique(np.concatenate([m[0], m[-1], m[:, 0], m[:, -1]]))) - {0}
    return np.where(np.isin(m, list(edge)), 0, m)


def nucleus(img, cfg, t):
    ns = cfg["nucleus_segmentation"]
    s = time.perf_counter()
    if "threshold" in ns and "median_block" in ns:
        step = ns.get("median_step", 1)
        ds = img[::step, ::step]
        thr = filters.threshold_local(ds, block_size=ns["median_block"], method="median",
                                      offset=-ns["threshold"])
        thr = resize(thr, img.shape)
    else:
        thr = global_otsu(img)
    k = ns.get("speckle_kernel", 4)
    mask = binary_erosion(img > thr, footprint=disk(k))
    mask = dilation(mask, footprint=disk(k - 1))
    t["nucleus_threshold_s"] = time.perf_counter() - s
    s = time.perf_counter()
    labels = labels_from_mask(mask, ns.get("dilation", 4), ns.get("min_distance", 10),
                              ns.get("peak_footprint", 7))
    t["nucleus_labels_s"] = time.perf_counter() - s
    nmask = np.clip(labels, 0, 1)
    ids = np.unique(labels)[1:]
    centers = np.array(ndimage.center_of_mass(np.ones_like(labels), labels, ids)) \
        if len(ids) else np.zeros((0, 2))
    labels = edge_remove(labels)
    if cfg.get("filter_masks_size") and ("min_size" in ns or "max_size" in ns):
        u, c = np.unique(labels, return_counts=True)
        lo, hi = ns.get("min_size", 0), ns.get("max_size", np.inf)
        labels[np.isin(labels, u[1:][(c[1:] < lo) | (c[1:] > hi)])] = 0
    return labels, nmask, centers


def cytosol(raw, wga_mc, nmask, nlabels, centers, cfg, t):
    cs = cfg["cytosol_segmentation"]
    s = time.perf_counter()
    b = raw < (cs["threshold"] if "threshold" in cs else global_otsu(raw))
    b = np.clip(b.astype(float) - nmask, 0, 1)
    b = dilation(b, footprint=disk(cs.get("erosion", 2)))
    b = binary_erosion(b, footprint=disk(cs.get("dilation", 7)))
    p = np.clip((wga_mc - np.quantile(wga_mc, 0.02)) / np.quantile(wga_mc, 0.98), 0, 1)
    p = 1 - np.clip(p - nmask, 0, 1)
    lo, hi = cs.get("min_clip", 0), cs.get("max_clip", 0.2)
    p = (np.clip(p, lo, hi) - lo) / (hi - lo)
    speed = 0.9 * p + 0.1
    pc = np.round(centers).astype(np.int64)
    seeds = np.zeros(raw.shape, bool)
    seeds[pc[:, 0], pc[:, 1]] = True
    tt = eikonal(seeds, b.astype(bool), speed)
    tt[~np.isfinite(tt)] = np.max(tt[np.isfinite(tt)]) if np.isfinite(tt).any() else 0
    markers = np.zeros(raw.shape, np.int64)
    markers[pc[:, 0], pc[:, 1]] = nlabels[pc[:, 0], pc[:, 1]]
    cyto = watershed(tt, markers, mask=(b == 0))
    cyto = edge_remove(np.where(b > 0.5, 0, cyto))
    t["cytosol_s"] = time.perf_counter() - s
    keep = set(np.unique(cyto)) - {0}
    nlabels = nlabels.copy()
    nlabels[~np.isin(nlabels, list(keep))] = 0
    return nlabels, cyto.astype(np.uint64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--method", default="wga", choices=["wga", "dapi"])
    ap.add_argument("--config", help="JSON with scPortrait's WGASegmentation keys")
    a = ap.parse_args()
    cfg = {"nucleus_segmentation": {}, "cytosol_segmentation": {}, "median_filter_size": 4}
    if a.config:
        with open(a.config) as f:
            cfg.update(json.load(f))
    t0 = time.perf_counter()
    if a.input.endswith(".npy"):
        img = np.load(a.input)
    else:
        import tifffile
        img = tifffile.imread(a.input)
    if img.ndim == 2:
        img = img[None]
    t = {"load_s": time.perf_counter() - t0}
    s = time.perf_counter()
    work = img.copy()
    if "lower_quantile_normalization" in cfg or "upper_quantile_normalization" in cfg:
        work = np.stack([percentile_normalization(c, cfg.get("lower_quantile_normalization", 0),
                                                  cfg.get("upper_quantile_normalization", 1))
                         for c in work])
    if "median_filter_size" in cfg:
        work = np.stack([filters.median(c, disk(cfg["median_filter_size"])) for c in work])
    t["preprocess_s"] = time.perf_counter() - s
    nlab, nmask, centers = nucleus(work[0], cfg, t)
    os.makedirs(a.out, exist_ok=True)
    if a.method == "wga":
        nlab, cyto = cytosol(img[1], work[1], nmask, nlab, centers, cfg, t)
        np.save(os.path.join(a.out, "cytosol.npy"), cyto)
    np.save(os.path.join(a.out, "nucleus.npy"), nlab.astype(np.uint64))
    t["total_s"] = time.perf_counter() - t0
    t["cells"] = int(len(set(np.unique(nlab)) - {0}))
    t["pixels"] = int(img.shape[-1] * img.shape[-2])
    t["fmm"] = "csgraph-dijkstra"
    with open(os.path.join(a.out, "timings.json"), "w") as f:
        json.dump(t, f, indent=2)
    print(json.dumps(t))


if __name__ == "__main__":
    main()
