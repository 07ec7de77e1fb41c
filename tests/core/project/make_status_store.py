"""Writes a minimal scPortrait-style store for project_status_test.ts with zarr 2.13.

usage: make_status_store.py <project-dir>

<project>/scportrait.sdata gets an NGFF 0.4 image `images/input_image` (3 x 20 x 30 uint16,
channel labels DAPI/WGA/GFP) and root attrs with scPortrait's `sdata_status`, as
`sdata_filehandler` keeps them: input image and nucleus segmentation present, the rest absent.
"""
import sys

import numpy as np
import zarr

root = zarr.open_group(f"{sys.argv[1]}/scportrait.sdata", mode="w")
root.attrs["spatialdata_attrs"] = {"version": "0.1"}
root.attrs["sdata_status"] = {
    "input_images": True,
    "nucleus_segmentation": True,
    "cytosol_segmentation": False,
    "nucleus_centers": False,
    "cytosol_centers": False,
}
image = root.require_group("images").require_group("input_image")
image.create_dataset("0", data=np.arange(3 * 20 * 30, dtype="uint16").reshape(3, 20, 30),
                     chunks=(1, 20, 30))
image.attrs["multiscales"] = [{
    "version": "0.4",
    "name": "input_image",
    "axes": [{"name": "c", "type": "channel"}, {"name": "y", "type": "space"},
             {"name": "x", "type": "space"}],
    "datasets": [{"path": "0",
                  "coordinateTransformations": [{"type": "scale", "scale": [1.0, 1.0, 1.0]}]}],
}]
image.attrs["omero"] = {"channels": [{"label": "DAPI"}, {"label": "WGA"}, {"label": "GFP"}]}
# An element still being written (scportrait-deno's hidden name for unfinished elements).
root.require_group("labels").require_group(".seg_all_cytosol.incomplete")
