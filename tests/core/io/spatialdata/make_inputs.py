"""Writes the real test images as raw little-endian files for spatialdata_store_test.ts.

usage: make_inputs.py <out_dir> <height> <width>
image.bin: (3, h, w) uint16 = CellProfiler ExampleHuman d0/d1/d2 (uint8) x 255, cropped
labels.bin: (h, w) uint32 = DSB2018 mask2d.tif instance mask, cropped
"""
import sys

import numpy as np
import tifffile

out, h, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = "/work/shared/data/cellprofiler_example_human/AS_09125_050116030001_D03f00d"
img = np.stack([tifffile.imread(f"{base}{i}.tif")[:h, :w].astype(np.uint16) * 255 for i in range(3)])
img.astype("<u2").tofile(f"{out}/image.bin")
mask = tifffile.imread("/work/shared/data/dsb2018_nuclei/mask2d.tif")[:h, :w].astype("<u4")
mask.tofile(f"{out}/labels.bin")
print(img.shape, int(mask.max()))
