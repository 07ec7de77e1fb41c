"""Writes the test vector of phase-correlation-stitching with numpy (the reference).

Run: /usr/bin/python3 plugins/phase_correlation_stitching/test/make_vectors.py
Two 48x48 crops of the dsb2018 image with a true offset of (6, 20); the expected offset given
to the plugin is (8, 17). The measured offset must be the true one; the error is recomputed
here with numpy's FFT following the manifest's definition.
"""
import json
import pathlib

import numpy as np
import tifffile

here = pathlib.Path(__file__).parent
root = here.parents[2]
img = tifffile.imread(root / "examples/data/dsb2018_nuclei/img2d.tif").astype(np.uint16)
s, ty, tx = 48, 6, 20
a = img[200:200 + s, 240:240 + s]
b = img[200 + ty:200 + ty + s, 240 + tx:240 + tx + s]
ey, ex = 8, 17
ay0, ay1, ax0, ax1 = max(0, ey), min(s, ey + s), max(0, ex), min(s, ex + s)
h, w = ay1 - ay0, ax1 - ax0
n, m = 1 << (h - 1).bit_length(), 1 << (w - 1).bit_length()


def window(t, y0, x0):
    win = t[y0:y0 + h, x0:x0 + w].astype(np.float64)
    out = np.zeros((n, m))
    out[:h, :w] = win - win.mean()
    return out


A, B = np.fft.fft2(window(a, ay0, ax0)), np.fft.fft2(window(b, ay0 - ey, ax0 - ex))
R = A * np.conj(B)
mag = np.abs(R)
R = np.where(mag > 1e-12, R / np.where(mag > 1e-12, mag, 1), 0)
r = np.fft.ifft2(R).real  # numpy's ifft2 divides by n*m: the peak is already normalised
py, px = np.unravel_index(np.argmax(r), r.shape)
dy = py - n if py >= n // 2 else py
dx = px - m if px >= m // 2 else px
assert (ey + dy, ex + dx) == (ty, tx), (dy, dx)
error = float(-np.log(min(r[py, px], 1.0)))


def tile(t):
    return {"channels": 1, "height": s, "width": s, "data": {"$u16": t.ravel().tolist()}}


args = [tile(a), tile(b), {"dy": ey, "dx": ex}]
(here / "input.json").write_text(json.dumps({"args": args}) + "\n")
(here / "expected.json").write_text(json.dumps({"dy": ty, "dx": tx, "error": error}) + "\n")
print("offset", ty, tx, "error", error)
