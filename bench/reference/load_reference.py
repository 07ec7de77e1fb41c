"""Reference for the load benchmark: the same work done the Python way.

usage: load_reference.py [--codec blosc|zstd] [--threads N] <out.zarr> <tif per channel…>

Reads one 2-D TIFF per channel with tifffile and writes the same NGFF 0.4 multiscale image our
load writes: (c, y, x) uint16, (1, 1024, 1024) chunks, nested keys, levels with scale factors
[2, 4, 8] each relative to the previous level (1/2, 1/8, 1/64), block mean truncated to uint16
(xarray coarsen(...).mean().astype). Compressor: blosc-lz4 clevel 5 + byte shuffle (spatialdata's
usual choice; blosc runs its own threads) or zstd level 1 (our default). Chunk rows are written by
a thread pool (numpy, blosc and zstd release the GIL), so Python uses the machine's cores too.
Prints one JSON line: seconds, raw level-0 bytes, peak RSS, CPU seconds (all threads).
A measuring instrument for `deno task bench`, not part of the product.
"""
import argparse
import json
import resource
import time
from concurrent.futures import ThreadPoolExecutor

import numcodecs
import numpy as np
import tifffile
import zarr

CHUNK = 1024
FACTORS = [2, 4, 8]


def coarsen(img, f):
    h, w = img.shape[0] // f, img.shape[1] // f
    s = img[: h * f, : w * f].reshape(h, f, w, f).sum(axis=(1, 3), dtype=np.uint32)
    return (s // (f * f)).astype(np.uint16)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--codec", default="blosc", choices=["blosc", "zstd"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("out")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    start = time.perf_counter()
    numcodecs.blosc.use_threads = True
    numcodecs.blosc.set_nthreads(args.threads)
    if args.codec == "blosc":
        compressor = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
    else:
        compressor = numcodecs.Zstd(level=1)
    store = zarr.NestedDirectoryStore(args.out)
    root = zarr.group(store=store, overwrite=True)
    group = root.create_group("images").create_group("input_image")
    first = tifffile.TiffFile(args.paths[0]).pages[0].shape
    shapes = [first]
    for f in FACTORS:
        shapes.append((shapes[-1][0] // f, shapes[-1][1] // f))
    levels = [
        group.create_dataset(str(i), shape=(len(args.paths),) + s, chunks=(1, CHUNK, CHUNK),
                             dtype="uint16", compressor=compressor)
        for i, s in enumerate(shapes)
    ]
    total = 0
    with ThreadPoolExecutor(args.threads) as pool:
        for c, path in enumerate(args.paths):
            img = tifffile.imread(path)
            total += img.size * 2
            if img.dtype == np.uint8:
                img = img.astype(np.uint16) * 255
            for i, level in enumerate(levels):
                if i:
                    img = coarsen(img, FACTORS[i - 1])

                def put(y, level=level, img=img):
                    level[c, y : y + CHUNK] = img[y : y + CHUNK]

                list(pool.map(put, range(0, img.shape[0], CHUNK)))
            del img
    group.attrs["multiscales"] = [{
        "version": "0.4",
        "axes": [{"name": "c", "type": "channel"}, {"name": "y", "type": "space"},
                 {"name": "x", "type": "space"}],
        "datasets": [{"path": str(i)} for i in range(len(levels))],
    }]
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "bytes": total, "peak_rss": usage.ru_maxrss * 1024,
                      "cpu_seconds": usage.ru_utime + usage.ru_stime}))


if __name__ == "__main__":
    main()
