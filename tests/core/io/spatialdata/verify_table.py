"""Reads a table element written by scPortrait-for-Deno with Debian anndata (read_zarr) and zarr.

usage: verify_table.py <table dir>   prints one JSON document describing what was read.
"""
import json
import sys

import anndata
import numpy as np
import zarr

path = sys.argv[1]
adata = anndata.read_zarr(path)
group = zarr.open_group(path, mode="r")
print(json.dumps({
    "shape": list(adata.shape),
    "X_dtype": str(adata.X.dtype),
    "X": adata.X.astype(np.float64).ravel().tolist(),
    "obs_names": list(adata.obs_names),
    "var_names": list(adata.var_names),
    "obs_columns": list(adata.obs.columns),
    "cell_ids": [int(v) for v in adata.obs["scportrait_cell_id"]],
    "cell_id_dtype": str(adata.obs["scportrait_cell_id"].dtype),
    "region_dtype": str(adata.obs["region"].dtype),
    "region": list(adata.obs["region"].astype(str)),
    "extra": {c: adata.obs[c].tolist() for c in adata.obs.columns[2:]},
    "uns": {k: str(v) for k, v in adata.uns["spatialdata_attrs"].items()},
    "group_attrs": dict(group.attrs),
}))
