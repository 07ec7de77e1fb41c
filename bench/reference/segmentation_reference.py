#!/usr/bin/python3
"""Python reference for scPortrait's WGA / DAPI classical segmentation (measuring instrument).

Re-states scPortrait's algorithm (spec §3.3-3.6, src/scportrait/pipeline/_utils/segmentation.py
and workflows/_wga_segmentation.py) with scikit-image / scipy called the way scPortrait calls
them. Not product code: used to compare masks and speed with the Deno plugins.

Fast marching is scikit-fmm's `distance` / `travel_time` on masked arrays, exactly as scPortrait
calls them (Debian python3-scikit-fmm). Nucleus- and cytosol-level percentile normalisation, the
size filter of both masks (min_size/max_size) and the contact filter follow spec §3.3-3.5.
Not reproduced: the log-normal size-filter fit (no min/max given) and per-channel list bounds.

Usage: segmentation_reference.py --input img.tif|img.npy | c0.tif c1.tif [--crop Y X H W]
       [--method wga|dapi] [--config cfg.json] --out DIR
Channel 0 is the nucleus plane, channel 1 the WGA plane. Writes DIR/nucleus.npy, DIR/cytosol.npy
(wga) and DIR/timings.json (seconds per stage, segment_s without reading, cells, peak_rss).
"""

import argparse
import json
import os
import resource
import time

import numpy as np
from scipy import ndimage
import skfmm
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


def contact_filter(labels, threshold):
    """scPortrait's contact_filter (reindex=False): per label, 1 + background 4-neighbours over
    1 + non-self 4-neighbours, counted for interior pixels; labels below `threshold` removed."""
    if labels.shape[0] < 3 or labels.shape[1] < 3 or labels.max() == 0:
        return labels
    n = int(labels.max()) + 1
    inner = labels[1:-1, 1:-1].ravel().astype(np.int64)
    bg = np.ones(n)
    other = np.ones(n)
    for nb in (labels[:-2, 1:-1], labels[2:, 1:-1], labels[1:-1, :-2], labels[1:-1, 2:]):
        nb = nb.ravel()
        bg += np.bincount(inner, weights=(nb == 0), minlength=n)
        other += np.bincount(inner, weights=(nb != inner), minlength=n)
    ratio = bg / other
    remove = np.flatnonzero(ratio < threshold)
    remove = remove[remove != 0]
    return np.where(np.isin(labels, remove), 0, labels)


def size_filter(labels, section, cfg):
    if not cfg.get("filter_masks_size") or not ("min_size" in section or "max_size" in section):
        return labels
    u, c = np.unique(labels, return_counts=True)
    lo, hi = section.get("min_size", 0), section.get("max_size", np.inf)
    drop = u[(u != 0) & ((c < lo) | (c > hi))]
    return np.where(np.isin(labels, drop), 0, labels)


def labels_from_mask(mask, dil, min_distance, peak_footprint):
    distance = ndimage.distance_transform_edt(mask)
    peaks = peak_local_max(distance, min_distance=min_distance, footprint=disk(peak_footprint))
    dilated = dilation(mask, footprint=disk(dil))
    if len(peaks) == 0:  # skfmm has no zero contour to start from (scPortrait would raise)
        return np.zeros(mask.shape, np.uint64)
    marker = np.ones_like(dilated)
    marker[tuple(peaks.T)] = 0
    d2 = skfmm.distance(np.ma.masked_array(marker, np.logical_not(dilated)))
    markers = np.zeros(mask.shape, np.uint64)
    for i, (y, x) in enumerate(peaks):
        markers[y, x] = i + 1
    return watershed(d2, markers, mask=dilated).astype(np.uint64)


def edge_remove(m):
    edge = set(np.unique(np.concatenate([m[0], m[-1], m[:, 0], m[:, -1]]))) - {0}
    return np.where(np.isin(m, list(edge)), 0, m)


def nucleus(img, cfg, t):
    ns = cfg["nucleus_segmentation"]
    s = time.perf_counter()
    if "lower_quantile_normalization" in ns or "upper_quantile_normalization" in ns:
        img = percentile_normalization(img, ns.get("lower_quantile_normalization", 0),
                                       ns.get("upper_quantile_normalization", 1))
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
    labels = size_filter(edge_remove(labels), ns, cfg)
    if "contact_filter" in ns:
        labels = contact_filter(labels, ns["contact_filter"])
    return labels, nmask, centers


def cytosol(raw, wga_mc, nmask, nlabels, centers, cfg, t):
    cs = cfg["cytosol_segmentation"]
    s = time.perf_counter()
    if "lower_quantile_normalization" in cs or "upper_quantile_normalization" in cs:
        raw = percentile_normalization(raw, cs.get("lower_quantile_normalization", 0),
                                       cs.get("upper_quantile_normalization", 1))
    b = raw < (cs["threshold"] if "threshold" in cs else global_otsu(raw))
    b = np.clip(b.astype(float) - nmask, 0, 1)
    b = dilation(b, footprint=disk(cs.get("erosion", 2)))
    b = binary_erosion(b, footprint=disk(cs.get("dilation", 7)))
    p = np.clip((wga_mc - np.quantile(wga_mc, 0.02)) / np.quantile(wga_mc, 0.98), 0, 1)
    p = 1 - np.clip(p - nmask, 0, 1)
    lo, hi = cs.get("min_clip", 0), cs.get("max_clip", 0.2)
    p = (np.clip(p, lo, hi) - lo) / (hi - lo)
    speed = 0.9 * p + 0.1
    pc = np.round(centers).astype(np.int64).reshape(-1, 2)
    marker = np.ones(raw.shape)
    marker[pc[:, 0], pc[:, 1]] = 0
    if len(pc) == 0 or not (~b.astype(bool) & (marker == 0)).any():
        tt = np.zeros(raw.shape)  # no seed outside the background: nothing to grow
    else:
        tt = skfmm.travel_time(np.ma.MaskedArray(marker, b), speed)
        tt = np.ma.filled(tt, fill_value=np.max(tt))
    markers = np.zeros(raw.shape, np.int64)
    markers[pc[:, 0], pc[:, 1]] = nlabels[pc[:, 0], pc[:, 1]]
    cyto = watershed(tt, markers, mask=(b == 0))
    cyto = size_filter(edge_remove(np.where(b > 0.5, 0, cyto)), cs, cfg)
    if "contact_filter" in cs:
        cyto = contact_filter(cyto, cs["contact_filter"])
    t["cytosol_s"] = time.perf_counter() - s
    keep = set(np.unique(cyto)) - {0}
    nlabels = nlabels.copy()
    nlabels[~np.isin(nlabels, list(keep))] = 0
    return nlabels, cyto.astype(np.uint64)


def read_input(path, crop):
    """(C, Y, X) array of one file, cropped to `crop` = (y, x, h, w) if given."""
    if path.endswith(".npy"):
        arr = np.load(path, mmap_mode="r")
    else:
        import tifffile
        try:
            arr = tifffile.memmap(path, mode="r")
        except ValueError:  # compressed or not contiguous
            arr = tifffile.imread(path)
    if arr.ndim == 2:
        arr = arr[None]
    if crop:
        y, x, h, w = crop
        arr = arr[:, y:y + h, x:x + w]
    return np.array(arr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True, nargs="+",
                    help="one multi-channel TIFF/.npy, or one 2-D TIFF per channel")
    ap.add_argument("--crop", nargs=4, type=int, metavar=("Y", "X", "H", "W"),
                    help="segment only this window (read through tifffile.memmap when possible)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--method", default="wga", choices=["wga", "dapi"])
    ap.add_argument("--config", help="JSON with scPortrait's WGASegmentation keys")
    a = ap.parse_args()
    cfg = {"nucleus_segmentation": {}, "cytosol_segmentation": {}, "median_filter_size": 4}
    if a.config:
        with open(a.config) as f:
            cfg.update(json.load(f))
    t0 = time.perf_counter()
    img = np.concatenate([read_input(p, a.crop) for p in a.input])
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
    t["segment_s"] = t["total_s"] - t["load_s"]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    t["cpu_s"] = ru.ru_utime + ru.ru_stime
    t["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t["cells"] = int(len(set(np.unique(nlab)) - {0}))
    t["pixels"] = int(img.shape[-1] * img.shape[-2])
    t["fmm"] = "scikit-fmm " + skfmm.__version__
    with open(os.path.join(a.out, "timings.json"), "w") as f:
        json.dump(t, f, indent=2)
    print(json.dumps(t))


if __name__ == "__main__":
    main()
