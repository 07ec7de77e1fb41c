"""Writes the test vectors of threshold-segmentation from scikit-image (the reference).

Run: /usr/bin/python3 plugins/threshold_segmentation/test/make_vectors.py
input.json: {"args": [tile, region, stats]}; expected.json: the segmentation-result, in jco's
value representation (camelCase keys, typed lists as {"$u16": [...]}, {"$u32": [...]}).
"""
import json
import pathlib

import numpy as np
from skimage.filters import threshold_otsu
from skimage.measure import label

here = pathlib.Path(__file__).parent
rng = np.random.default_rng(7)
h, w = 12, 16
img = rng.integers(100, 400, size=(h, w)).astype(np.uint16)
# three blobs, one touching another only diagonally (8-connectivity joins them)
img[1:4, 2:5] = 3000
img[4, 5] = 2800
img[7:10, 9:14] = 2500
img[10:12, 0:2] = 3100
t = float(threshold_otsu(img))
lab = label(img > t, connectivity=2)
origin_y, origin_x = 100, 200
objects = []
for k in range(1, lab.max() + 1):
    ys, xs = np.nonzero(lab == k)  # raster order: first is the anchor
    objects.append({"label": k, "anchorY": int(ys[0]) + origin_y,
                    "anchorX": int(xs[0]) + origin_x, "area": int(len(ys))})
tile = {"channels": 1, "height": h, "width": w, "data": {"$u16": img.ravel().tolist()}}
region = {"originY": origin_y, "originX": origin_x, "imageHeight": 1000, "imageWidth": 1000,
          "coreY": 0, "coreX": 0, "coreHeight": h, "coreWidth": w}
stats = [{"channel": 0, "min": float(img.min()), "max": float(img.max()),
          "mean": float(img.mean()), "otsuThreshold": t, "quantiles": []}]
(here / "input.json").write_text(json.dumps({"args": [tile, region, stats]}) + "\n")
(here / "input_no_stats.json").write_text(json.dumps({"args": [tile, region, []]}) + "\n")
expected = {"masks": [{"name": "nucleus", "labels": {"$u32": lab.ravel().astype(int).tolist()},
                       "objects": objects}]}
(here / "expected.json").write_text(json.dumps(expected) + "\n")
print(f"otsu {t}, {lab.max()} objects")
