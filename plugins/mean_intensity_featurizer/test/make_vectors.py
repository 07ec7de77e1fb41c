"""Writes the test vector of mean-intensity-featurizer with numpy (the reference).

Run: /usr/bin/python3 plugins/mean_intensity_featurizer/test/make_vectors.py
"""
import json
import pathlib

import numpy as np

here = pathlib.Path(__file__).parent
rng = np.random.default_rng(3)
n, masks, s = 2, 2, 6
names = ["nucleus", "cytosol", "dapi", "wga"]
cells = np.zeros((n, len(names), s, s), dtype=np.float32)
cells[:, 2:] = rng.random((n, 2, s, s), dtype=np.float32)
cells[0, 0, 2:4, 2:4] = 1
cells[0, 1, 1:5, 1:5] = 1
cells[1, 0, 0:3, 0:2] = 1
cells[1, 1, 0:5, 0:3] = 1
cols, rows = [], []
for m in range(masks):
    cols.append(f"{names[m]}_area")
for c in range(masks, len(names)):
    for m in range(masks):
        cols.append(f"{names[c]}_mean_{names[m]}")
for i in range(n):
    row = [float((cells[i, m] != 0).sum()) for m in range(masks)]
    for c in range(masks, len(names)):
        for m in range(masks):
            row.append(float(cells[i, c][cells[i, m] != 0].astype(np.float64).mean()))
    rows.extend(row)
batch = {"count": n, "channels": len(names), "height": s, "width": s,
         "data": {"$f32": [float(v) for v in cells.ravel()]}}
(here / "input.json").write_text(json.dumps({"args": [batch, names]}) + "\n")
(here / "expected.json").write_text(json.dumps({"names": cols, "values": {"$f32": rows}}) + "\n")
