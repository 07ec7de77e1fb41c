"""Checks a report.html written by scPortrait-for-Deno against stock Python tools.

usage: check_report.py <report.html> <scportrait.sdata> <single_cells.h5sc>
Decodes the inlined PNGs with Pillow, reads the labels with zarr and the cells with h5py, and
prints one JSON object with what it found (the Deno test asserts on it):
- overlay: the overlay PNG equals the composite PNG with skimage
  find_boundaries(connectivity=1, mode="inner") pixels painted (cytosol yellow, then nucleus
  magenta) — number of mismatching pixels and of boundary pixels;
- crops: for each zoomed crop (window from its caption), boundary pixels of the crop's labels
  carry the mask colours;
- counts: distinct non-zero ids per mask;
- gallery: cell ids shown, and whether the first two cells' strips equal the h5sc pixels
  (masks 255 where > 0, image channels min-max stretched, rounded half up, 2-px white gaps).
"""
import base64
import io
import json
import re
import sys

import h5py
import numpy as np
import zarr
from PIL import Image
from skimage.segmentation import find_boundaries

html_path, sdata, h5sc = sys.argv[1:4]
html = open(html_path, encoding="utf-8").read()
MAGENTA = np.array([255, 0, 255], np.uint8)
YELLOW = np.array([255, 255, 0], np.uint8)


def png_by_id(img_id):
    m = re.search(r'<img id="' + re.escape(img_id) + r'"[^>]*src="data:image/png;base64,([^"]+)"', html)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(m.group(1)))))


def bounds(lab):
    return find_boundaries(lab, connectivity=1, mode="inner")


nuc = zarr.open(f"{sdata}/labels/seg_all_nucleus/0", mode="r")[:]
cyt = zarr.open(f"{sdata}/labels/seg_all_cytosol/0", mode="r")[:]
composite = png_by_id("composite")
overlay = png_by_id("overlay")
expected = composite.copy()
bc, bn = bounds(cyt), bounds(nuc)
expected[bc] = YELLOW
expected[bn] = MAGENTA
out = {
    "overlay_shape": list(overlay.shape),
    "overlay_mismatches": int(np.any(overlay != expected, axis=-1).sum()),
    "nucleus_boundary_pixels": int(bn.sum()),
    "cytosol_boundary_pixels": int(bc.sum()),
    "counts": {"nucleus": int(len(np.unique(nuc)) - 1), "cytosol": int(len(np.unique(cyt)) - 1)},
}

crops = []
for m in re.finditer(r'<img id="(crop-\d+)".*?rows (\d+)–(\d+), columns (\d+)–(\d+)', html):
    crop = png_by_id(m.group(1))
    y0, y1, x0, x1 = (int(m.group(i)) for i in range(2, 6))
    cn = bounds(nuc[y0:y1 + 1, x0:x1 + 1])
    cc = bounds(cyt[y0:y1 + 1, x0:x1 + 1]) & ~cn
    crops.append({
        "shape": list(crop.shape),
        "nucleus_ok": bool(np.all(crop[cn] == MAGENTA)),
        "cytosol_ok": bool(np.all(crop[cc] == YELLOW)),
        "nucleus_boundary_pixels": int(cn.sum()),
    })
out["crops"] = crops

ids = [int(i) for i in re.findall(r'<figure class="cell" data-cell-id="(\d+)"', html)]
out["gallery_ids"] = ids
strips = re.findall(r'<figure class="cell" data-cell-id="\d+"><img class="cell" alt="[^"]*" '
                    r'src="data:image/png;base64,([^"]+)"', html)
with h5py.File(h5sc, "r") as f:
    cells = f["obsm/single_cell_images"][:2].astype(np.float32)
    n_masks = int(f["obsm/single_cell_images"].attrs["n_masks"])
ok = []
for k in range(2):
    got = np.asarray(Image.open(io.BytesIO(base64.b64decode(strips[k]))))
    C, S = cells.shape[1], cells.shape[2]
    exp = np.full((S, C * S + (C - 1) * 2), 255, np.uint8)
    for c in range(C):
        p = cells[k, c].astype(np.float64)
        if c < n_masks:
            v = np.where(p > 0, 255, 0)
        else:
            mn, mx = p.min(), p.max()
            v = np.floor((p - mn) * 255.0 / (mx - mn) + 0.5) if mx > mn else np.zeros_like(p)
        exp[:, c * (S + 2):c * (S + 2) + S] = v.astype(np.uint8)
    ok.append(bool(got.shape == exp.shape and np.array_equal(got, exp)))
out["gallery_strips_equal"] = ok
print(json.dumps(out))
