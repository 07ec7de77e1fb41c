"""Checks a SpatialData store written by scPortrait-for-Deno with stock zarr 2.13 + numpy.

usage: verify_store.py <store> <inputs_dir> <scale_factors,comma> <labels_dtype>
Prints "OK" or raises. Expected pyramids follow docs/decisions.md (spatialdata semantics: each
factor relative to the previous level; images: xarray coarsen(trim).mean().astype; labels: [::f, ::f]).
"""
import json
import sys

import numpy as np
import zarr

store, inputs, factors, labels_dtype = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
factors = [int(f) for f in factors.split(",")]
root = zarr.open_group(store, mode="r")
attrs = root.attrs.asdict()
assert attrs["spatialdata_attrs"]["version"] == "0.1", attrs
assert attrs["sdata_status"] == {
    "input_images": True,
    "nucleus_segmentation": True,
    "cytosol_segmentation": False,
    "nucleus_centers": False,
    "cytosol_centers": False,
}, attrs["sdata_status"]

img0 = np.fromfile(f"{inputs}/image.bin", dtype="<u2")
lab0 = np.fromfile(f"{inputs}/labels.bin", dtype="<u4")
c = 3
h, w = json.load(open(f"{inputs}/shape.json"))
img0 = img0.reshape(c, h, w)
lab0 = lab0.reshape(h, w)


def coarsen_mean(a, f):
    hh, ww = a.shape[-2] // f, a.shape[-1] // f
    t = a[..., : hh * f, : ww * f].astype(np.float64)
    t = t.reshape(a.shape[:-2] + (hh, f, ww, f)).mean(axis=(-3, -1))
    return t.astype(a.dtype)


def check_element(group, expected_levels, kind):
    ms = group.attrs["multiscales"]
    assert len(ms) == 1
    m = ms[0]
    assert m["version"] == "0.4", m["version"]
    names = ["c", "y", "x"] if kind == "image" else ["y", "x"]
    assert [a["name"] for a in m["axes"]] == names, m["axes"]
    assert [a["type"] for a in m["axes"]] == ["channel" if n == "c" else "space" for n in names]
    assert [d["path"] for d in m["datasets"]] == [str(i) for i in range(len(expected_levels))]
    ct = m["coordinateTransformations"]
    assert ct[0]["type"] == "identity" and ct[0]["output"]["name"] == "global", ct
    assert [a["name"] for a in ct[0]["input"]["axes"]] == names
    assert group.attrs["spatialdata_attrs"] == {"version": "0.1"}
    full = expected_levels[0].shape
    for i, exp in enumerate(expected_levels):
        arr = group[str(i)]
        assert arr.dtype == exp.dtype, (arr.dtype, exp.dtype)
        assert arr._dimension_separator == "/", arr._dimension_separator
        got = arr[...]
        assert got.shape == exp.shape, (i, got.shape, exp.shape)
        if not np.array_equal(got, exp):
            bad = np.argwhere(got != exp)
            raise AssertionError(f"{kind} level {i}: {len(bad)} pixels differ, first {bad[0]}")
        scale = m["datasets"][i]["coordinateTransformations"][0]
        assert scale["type"] == "scale"
        assert np.allclose(scale["scale"], [f / s for f, s in zip(full, exp.shape)]), scale


levels = [img0]
for f in factors:
    levels.append(coarsen_mean(levels[-1], f))
image = root["images/input_image"]
check_element(image, levels, "image")
assert [ch["label"] for ch in image.attrs["omero"]["channels"]] == ["DNA", "PH3", "cell"]

labs = [lab0.astype(labels_dtype)]
for f in factors:
    prev = labs[-1]
    labs.append(prev[::f, ::f][: prev.shape[0] // f, : prev.shape[1] // f])
labels = root["labels/seg_all_nucleus"]
check_element(labels, labs, "labels")
assert labels.attrs["image-label"]["version"] == "0.4"
assert root["labels"].attrs["labels"] == ["seg_all_nucleus"]
assert list(root["images"].group_keys()) == ["input_image"], list(root["images"].group_keys())
print("OK")
