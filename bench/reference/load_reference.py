"""Reference for the load benchmark: the same work done the Python way.

Reads one 2-D TIFF per channel with tifffile and writes an NGFF 0.4 multiscale image
(levels 0, /2, /4, /8 by 2x2 mean, uint16) into a zarr v2 store with blosc-lz4 + shuffle and
(1, 1024, 1024) chunks. Prints one JSON line: seconds, bytes, peak RSS.
A measuring instrument for `deno task bench`, not part of the product.
"""
import json
import resource
import sys
import time

import numcodecs
import numpy as np
import tifffile
import zarr


def downsample(img):
    h, w = img.shape[0] // 2 * 2, img.shape[1] // 2 * 2
    v = img[:h, :w].astype(np.uint32)
    s = v[0::2, 0::2] + v[1::2, 0::2] + v[0::2, 1::2] + v[1::2, 1::2]
    return ((s + 2) // 4).astype(np.uint16)


def main(out, paths):
    start = time.perf_counter()
    compressor = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
    root = zarr.open_group(out, mode="w")
    group = root.create_group("images").create_group("input_image")
    first = tifffile.TiffFile(paths[0]).pages[0].shape
    levels = []
    for level in range(4):
        shape = (len(paths), first[0] >> level, first[1] >> level)
        levels.append(group.create_dataset(str(level), shape=shape, chunks=(1, 1024, 1024),
                                           dtype="uint16", compressor=compressor))
    total = 0
    for c, path in enumerate(paths):
        img = tifffile.imread(path)
        total += img.nbytes
        if img.dtype == np.uint8:
            img = img.astype(np.uint16) * 255
        for level in range(4):
            if level:
                img = downsample(img)
            levels[level][c] = img[: levels[level].shape[1], : levels[level].shape[2]]
        del img
    group.attrs["multiscales"] = [{"version": "0.4", "datasets": [{"path": str(i)} for i in range(4)]}]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "bytes": total, "peak_rss": peak}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
