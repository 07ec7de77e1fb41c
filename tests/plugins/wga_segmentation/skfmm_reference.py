#!/usr/bin/python3
"""Runs bench/reference/segmentation_reference.py with scikit-fmm instead of its Dijkstra
stand-in, called as scPortrait calls it (`skfmm.distance` / `skfmm.travel_time` on a masked
array, unreached points filled with the maximum). Same arguments as the reference.
Needs Debian's python3-scikit-fmm."""

import os
import runpy
import sys

import numpy as np
import skfmm

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "..", "..", "bench", "reference", "segmentation_reference.py")


def eikonal(seeds, blocked, speed):
    if not (seeds & ~blocked).any():
        return np.full(seeds.shape, np.inf)
    phi = np.ma.MaskedArray(np.where(seeds, 0, 1), blocked)
    if np.all(speed == 1):
        t = skfmm.distance(phi)
    else:
        t = skfmm.travel_time(phi, speed)
    return np.ma.filled(t.astype(float), np.inf)


module = runpy.run_path(REF, run_name="segmentation_reference")
module["main"].__globals__["eikonal"] = eikonal
sys.argv[0] = REF
module["main"]()
