"""Python reference of scPortrait's extraction for the benchmark (numpy/scipy/skimage + h5py).

Same synthetic input as bench/extract_bench.ts (cells on a grid, nucleus and cytosol disks, three
uint16 channels given by an integer hash of (c, y, x)), generated tile by tile. Per cell, as
scPortrait's HDF5CellExtraction._extract_classes: crop, mask == id, binary_fill_holes, gaussian
sigma=1 (preserve_range), all channels x the last mask, per-channel quantile normalisation
(0.001, 0.999), float16, written to obsm/single_cell_images (N, 5, S, S) with (1, 1, S, S) LZF chunks.
Workers (multiprocessing, like scPortrait's pool) compute; the main process writes.
Prints one JSON line: cells/s, MB/s, peak RSS, random reads/s (h5py), and optionally the max
difference to a Deno-written file.

usage: extract_reference.py --cells N --out file.h5 [--processes P] [--compare deno.h5sc]
  [--limit M]   (only the first M rows of the N-cell grid: same cells as the Deno run, fewer of them)
"""
import argparse, json, math, os, resource, time
from multiprocessing import Pool

import h5py
import numpy as np
from scipy.ndimage import binary_fill_holes
from skimage.filters import gaussian

S, PITCH, MARGIN, TILE = 128, 64, 64, 1024
R_NUC, R_CYT = 12, 28


def grid(n):
    side = math.ceil(math.sqrt(n))
    return side, side * PITCH + 2 * MARGIN, math.ceil(n / side) * PITCH + 2 * MARGIN


def window(n, side, y0, x0, h, w):
    """Labels (2, h, w) uint64 and image (3, h, w) uint16 of the synthetic scene."""
    yy, xx = np.mgrid[y0:y0 + h, x0:x0 + w]
    gy, gx = np.floor_divide(yy - MARGIN, PITCH), np.floor_divide(xx - MARGIN, PITCH)
    cid = gy * side + gx
    valid = (gy >= 0) & (gx >= 0) & (gx < side) & (cid < n)
    cy, cx = MARGIN + gy * PITCH + PITCH // 2, MARGIN + gx * PITCH + PITCH // 2
    d2 = (yy - cy) ** 2 + (xx - cx) ** 2
    labels = np.stack([np.where(valid & (d2 < r * r), cid + 1, 0) for r in (R_NUC, R_CYT)])
    x32, y32 = xx.astype(np.uint32), yy.astype(np.uint32)
    image = []
    for c in range(3):
        hsh = (x32 * np.uint32(0x9E3779B1)) ^ (y32 * np.uint32(0x85EBCA77)) ^ np.uint32(
            ((c + 1) * 0xC2B2AE3D) & 0xFFFFFFFF)
        image.append((1000 + (hsh >> np.uint32(20))).astype(np.uint16))
    return labels.astype(np.uint64), np.stack(image)


def norm(im, lo=0.001, hi=0.999):
    a, b = np.quantile(np.ravel(im), lo), np.quantile(np.ravel(im), hi)
    out = im - a
    if b - a != 0:
        out = out / (b - a)
    return np.clip(out, 0, 1)


def vm_hwm_mb():
    """Peak RSS of this process in MiB (VmHWM; ru_maxrss would include the pre-exec parent)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tile_job(args):
    n, side, rows = args
    half = S // 2
    ys = [MARGIN + (r // side) * PITCH + PITCH // 2 for r in rows]
    xs = [MARGIN + (r % side) * PITCH + PITCH // 2 for r in rows]
    y0, x0 = min(ys) - half, min(xs) - half
    labels, image = window(n, side, y0, x0, max(ys) + half - y0, max(xs) + half - x0)
    out = np.empty((len(rows), 5, S, S), np.float16)
    for k, (r, y, x) in enumerate(zip(rows, ys, xs)):
        wy, wx = slice(y - half - y0, y + half - y0), slice(x - half - x0, x + half - x0)
        masks = []
        for m in labels:
            mm = np.where(m[wy, wx] == r + 1, 1, 0)
            masks.append(gaussian(binary_fill_holes(mm), preserve_range=True, sigma=1))
        data = image[:, wy, wx] * masks[-1]
        out[k] = np.stack(masks + [norm(c) for c in data]).astype(np.float16)
    return rows, out, os.getpid(), vm_hwm_mb()


def cpu_seconds():
    """User + system CPU time of this process and its finished children (the pool workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--compare")
    ap.add_argument("--limit", type=int)
    a = ap.parse_args()
    n = a.cells
    m = min(n, a.limit or n)
    side, _, _ = grid(n)
    per_tile = TILE // PITCH
    tiles = {}
    for r in range(m):
        tiles.setdefault(((r // side) // per_tile, (r % side) // per_tile), []).append(r)
    jobs = [(n, side, rows) for _, rows in sorted(tiles.items())]
    t0 = time.perf_counter()
    cpu0 = cpu_seconds()
    with h5py.File(a.out, "w") as f:
        ds = f.create_dataset("obsm/single_cell_images", (n, 5, S, S), np.float16,
                              chunks=(1, 1, S, S), compression="lzf")
        with Pool(a.processes) as pool:
            worker_peaks = {}
            for rows, stacks, pid, hwm in pool.imap(tile_job, jobs):
                worker_peaks[pid] = max(worker_peaks.get(pid, 0), hwm)
                for k, r in enumerate(rows):  # scPortrait writes per save_index
                    ds[r] = stacks[k]
    seconds = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    rng = np.random.default_rng(0)
    with h5py.File(a.out, "r") as f:
        ds = f["obsm/single_cell_images"]
        reads = min(2000, m)
        t = time.perf_counter()
        for r in rng.integers(0, m, reads):
            ds[int(r)]
        read_rate = reads / (time.perf_counter() - t)
        out = {
            "cells": m, "processes": a.processes, "seconds": round(seconds, 2),
            "cellsPerSecond": round(m / seconds),
            "cpuSeconds": round(cpu, 2), "cellsPerCpuSecond": round(m / cpu),
            "rawMBps": round(m * 5 * S * S * 2 / 1e6 / seconds),
            # main process + every pool worker (they run at the same time)
            "peakRssMB": round(vm_hwm_mb() + sum(worker_peaks.values())),
            "randomReadsPerSecond": round(read_rate),
        }
        if a.compare:
            with h5py.File(a.compare, "r") as g:
                other = g["obsm/single_cell_images"]
                # the first cells and cells spread over every computed row (later tiles run on
                # recycled buffers in the Deno implementation)
                rows = np.unique(np.concatenate([np.arange(min(m, 150)),
                                                 np.linspace(0, m - 1, min(m, 150)).astype(int)]))
                diff = np.abs(ds[rows].astype(np.float64) - other[rows].astype(np.float64))
                out["comparedCells"] = int(len(rows))
                out["maxDiffFirstCells"] = float(diff.max())
                out["identicalFraction"] = float((diff == 0).mean())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
