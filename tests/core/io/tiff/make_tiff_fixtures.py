"""Writes TIFF fixtures with tifffile (and libtiff's tiffcp for LZW) into argv[1], plus, for each
fixture, the expected uint16 channels (after openTiffSource's conversion rule) as raw little-endian
files `<name>.c<i>.u16` and a manifest.json. Used by open_tiff_source_test.ts."""
import json
import os
import subprocess
import sys

import numpy as np
import tifffile

out = sys.argv[1]
H, W = 300, 257
rng = np.random.default_rng(7)
manifest = {}


def u16(shape):
    return rng.integers(0, 65536, size=shape, dtype=np.uint16)


def expect(name, channels, names=None, dtype="uint16"):
    """channels: list of 2-D arrays already converted to uint16 by the documented rule."""
    for i, c in enumerate(channels):
        np.ascontiguousarray(c, dtype="<u2").tofile(os.path.join(out, f"{name}.c{i}.u16"))
    manifest[name] = {"channels": len(channels), "height": int(channels[0].shape[0]),
                      "width": int(channels[0].shape[1]), "names": names, "dtype": dtype}


def path(name):
    return os.path.join(out, name + ".tif")


# multi-page: pages = channels, uncompressed with several strips per page
a = u16((3, H, W))
tifffile.imwrite(path("multipage"), a, rowsperstrip=7, photometric="minisblack")
expect("multipage", list(a))

# RGB chunky (contig), uncompressed tiles -> positioned reads with sample stride
a = u16((H, W, 3))
tifffile.imwrite(path("rgb_contig_tiled"), a, photometric="rgb", planarconfig="contig",
                 tile=(64, 48))
expect("rgb_contig_tiled", [a[..., i] for i in range(3)])

# RGB chunky, deflate + predictor, tiled -> decoded blocks with sample stride
tifffile.imwrite(path("rgb_contig_deflate"), a, photometric="rgb", planarconfig="contig",
                 compression="zlib", predictor=True, tile=(32, 64))
expect("rgb_contig_deflate", [a[..., i] for i in range(3)])

# RGB planar (separate), uncompressed strips
a = u16((3, H, W))
tifffile.imwrite(path("rgb_planar"), a, photometric="rgb", planarconfig="separate",
                 rowsperstrip=11)
expect("rgb_planar", list(a))

# RGB planar, deflate
tifffile.imwrite(path("rgb_planar_deflate"), a, photometric="rgb", planarconfig="separate",
                 compression="zlib")
expect("rgb_planar_deflate", list(a))

# OME-TIFF with channel names
a = u16((3, H, W))
tifffile.imwrite(path("ome"), a, ome=True,
                 metadata={"axes": "CYX", "Channel": {"Name": ["DAPI", "WGA", "CD45"]}})
expect("ome", list(a), ["DAPI", "WGA", "CD45"])

# OME-TIFF with Z = 2 (unsupported)
tifffile.imwrite(path("ome_z2"), u16((2, 2, 40, 30)), ome=True, metadata={"axes": "ZCYX"})

# ImageJ hyperstack, 2 channels, Z = T = 1 (supported) and with 3 slices (unsupported)
a = u16((2, H, W))
tifffile.imwrite(path("imagej_c2"), a, imagej=True, metadata={"axes": "CYX"})
expect("imagej_c2", list(a))
tifffile.imwrite(path("imagej_z3"), u16((3, 40, 30)), imagej=True, metadata={"axes": "ZYX"})

# BigTIFF, uncompressed single strip and deflate tiled
a = u16((H, W))
tifffile.imwrite(path("bigtiff"), a, bigtiff=True)
expect("bigtiff", [a])
tifffile.imwrite(path("bigtiff_tiled_deflate"), a, bigtiff=True, tile=(64, 64),
                 compression="zlib")
expect("bigtiff_tiled_deflate", [a])

# deflate + horizontal predictor, strips; tiled deflate
a = u16((H, W))
tifffile.imwrite(path("deflate_predictor"), a, compression="zlib", predictor=True)
expect("deflate_predictor", [a])
tifffile.imwrite(path("tiled_deflate"), a, compression="zlib", tile=(32, 64))
expect("tiled_deflate", [a])

# LZW and LZW + predictor via libtiff tiffcp
a = u16((H, W))
tifffile.imwrite(path("plain_for_lzw"), a, rowsperstrip=16)
subprocess.run(["tiffcp", "-c", "lzw", path("plain_for_lzw"), path("lzw")], check=True)
subprocess.run(["tiffcp", "-c", "lzw:2", path("plain_for_lzw"), path("lzw_predictor")], check=True)
expect("lzw", [a])
expect("lzw_predictor", [a])

# big-endian uncompressed and deflate
a = u16((H, W))
tifffile.imwrite(path("big_endian"), a, byteorder=">", rowsperstrip=32)
tifffile.imwrite(path("big_endian_deflate"), a, byteorder=">", compression="zlib")
expect("big_endian", [a])
expect("big_endian_deflate", [a])

# uint8 (x255), int16 and float32 (rounded, clipped)
a8 = rng.integers(0, 256, size=(H, W), dtype=np.uint8)
tifffile.imwrite(path("uint8"), a8)
expect("uint8", [a8.astype(np.uint16) * 255], dtype="uint8")
a16 = rng.integers(-2000, 30000, size=(H, W), dtype=np.int16)
tifffile.imwrite(path("int16"), a16)
expect("int16", [np.clip(a16, 0, 65535).astype(np.uint16)], dtype="int16")
af = rng.uniform(-500.0, 70000.0, size=(H, W)).astype(np.float32)
tifffile.imwrite(path("float32"), af, compression="zlib")
expect("float32", [np.clip(np.floor(af.astype(np.float64) + 0.5), 0, 65535).astype(np.uint16)],
       dtype="float32")

# a second single-channel file of another size (size mismatch) and a non-TIFF
tifffile.imwrite(path("small"), u16((40, 30)))
with open(os.path.join(out, "not_a_tiff.tif"), "wb") as f:
    f.write(b"PK\x03\x04 this is a zip, not a TIFF" * 4)
with open(path("multipage"), "rb") as f:
    head = f.read(4000)
with open(os.path.join(out, "truncated.tif"), "wb") as f:
    f.write(head)

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
