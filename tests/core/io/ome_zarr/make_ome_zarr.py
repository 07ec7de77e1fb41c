"""Writes two OME-Zarr (NGFF 0.4, zarr v2) images with stock zarr 2.13 for open_ome_zarr_source_test.

usage: make_ome_zarr.py <out_dir>
tczyx.zarr: (1, 3, 1, 509, 487) uint16, blosc lz4 + shuffle, nested "/" chunk keys, omero labels,
  2 levels (level 1 = level 0 [::2, ::2]); pixels = CellProfiler ExampleHuman d0/d1/d2 x 255.
yx_u8.zarr: (300, 257) uint8 (CellProfiler d0), zstd, flat "." chunk keys, no omero.
"""
import sys

import numpy as np
import tifffile
import zarr
from numcodecs import Blosc, Zstd

out = sys.argv[1]
base = "/work/shared/data/cellprofiler_example_human/AS_09125_050116030001_D03f00d"
planes = [tifffile.imread(f"{base}{i}.tif") for i in range(3)]
img = np.stack([p[:509, :487].astype(np.uint16) * 255 for p in planes])[None, :, None]

store = zarr.NestedDirectoryStore(f"{out}/tczyx.zarr")
root = zarr.group(store=store)
blosc = Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE)
root.create_dataset("0", data=img, chunks=(1, 1, 1, 100, 100), compressor=blosc)
root.create_dataset("1", data=img[..., ::2, ::2], chunks=(1, 1, 1, 100, 100), compressor=blosc)
axes = [{"name": "t", "type": "time"}, {"name": "c", "type": "channel"}, {"name": "z", "type": "space"},
        {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]
root.attrs["multiscales"] = [{
    "version": "0.4", "axes": axes,
    "datasets": [{"path": str(i), "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1, 2**i, 2**i]}]}
                 for i in range(2)],
}]
root.attrs["omero"] = {"channels": [{"label": "DNA"}, {"label": "PH3"}, {"label": "cell"}]}
img.astype("<u2").tofile(f"{out}/tczyx.bin")

root2 = zarr.open_group(f"{out}/yx_u8.zarr", mode="w")
u8 = planes[0][:300, :257]
root2.create_dataset("s0", data=u8, chunks=(64, 64), compressor=Zstd(level=3))
root2.attrs["multiscales"] = [{
    "version": "0.4", "axes": [{"name": "y", "type": "space"}, {"name": "x", "type": "space"}],
    "datasets": [{"path": "s0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1]}]}],
}]
u8.astype("u1").tofile(f"{out}/yx_u8.bin")
print("ok")
