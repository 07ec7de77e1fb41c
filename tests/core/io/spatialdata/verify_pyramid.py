"""Checks every level of one raster element against a numpy pyramid of the raw level-0 data.

usage: verify_pyramid.py <element dir> <raw file> <numpy dtype> <shape, comma> <factors, comma> <mean|nearest>
Each factor applies to the previous level (spatialdata); mean = xarray coarsen(trim).mean().astype,
nearest = a[::f, ::f] trimmed. Prints "OK" or raises.
"""
import sys

import numpy as np
import zarr

element, raw, dtype, shape, factors, mode = sys.argv[1:7]
shape = tuple(int(s) for s in shape.split(","))
factors = [int(f) for f in factors.split(",")]
levels = [np.fromfile(raw, dtype=dtype).reshape(shape)]
for f in factors:
    a = levels[-1]
    hh, ww = a.shape[-2] // f, a.shape[-1] // f
    if mode == "mean":
        t = a[..., : hh * f, : ww * f].astype(np.float64)
        levels.append(t.reshape(a.shape[:-2] + (hh, f, ww, f)).mean(axis=(-3, -1)).astype(a.dtype))
    else:
        levels.append(a[..., ::f, ::f][..., :hh, :ww])
group = zarr.open_group(element, mode="r")
assert [d["path"] for d in group.attrs["multiscales"][0]["datasets"]] == [
    str(i) for i in range(len(levels))
]
for i, expected in enumerate(levels):
    got = group[str(i)][...]
    assert got.shape == expected.shape, (i, got.shape, expected.shape)
    if not np.array_equal(got, expected.astype(got.dtype)):
        bad = np.argwhere(got != expected)
        raise AssertionError(f"level {i}: {len(bad)} values differ, first at {bad[0].tolist()}")
print("OK")
