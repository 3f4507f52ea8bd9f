#!/usr/bin/env python3
"""Writes the extra GDAL-made GeoTIFFs beside this script and their manifest.json (same schema as ../manifest.json).

They cover what the shared samples do not: ZSTD with predictors 2 and 3, big-endian files, Int32/UInt32/Float64
values float cannot hold, NaN nodata, PackBits, pixel-is-point, rotated (ModelTransformation) georeferencing,
sparse tiles, and layouts GeoDsl must refuse with a clear message. Stats come from reading each file back with
GDAL, the reference implementation. Needs GDAL's Python bindings and numpy (Debian: python3-gdal).
Run once; the outputs are committed so tests never need GDAL.
"""
import json
import math
import os

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


def write(name, arrays, dtype, options, epsg, geotransform, nodata=None, descriptions=None, metadata=None):
    path = os.path.join(HERE, name)
    bands, height, width = arrays.shape
    ds = gdal.GetDriverByName("GTiff").Create(path, width, height, bands, dtype, options)
    ds.SetGeoTransform(geotransform)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    if metadata:
        ds.SetMetadata(metadata)
    for b in range(bands):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if descriptions:
            band.SetDescription(descriptions[b])
        band.WriteArray(arrays[b])
    ds = None
    return path


def describe(name, options):
    path = os.path.join(HERE, name)
    ds = gdal.Open(path)
    bands = ds.RasterCount
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    sums, counts, data = [], [], []
    for b in range(bands):
        a = ds.GetRasterBand(b + 1).ReadAsArray().astype(np.float64)
        data.append(a)
        if nodata is None:
            is_nodata = np.zeros(a.shape, bool)
        elif math.isnan(nodata):
            is_nodata = np.isnan(a)
        else:
            is_nodata = a == nodata
        sums.append(float(a[~is_nodata].sum()))
        counts.append(int(is_nodata.sum()))
    descriptions = [ds.GetRasterBand(b + 1).GetDescription() for b in range(bands)]
    h, w = ds.RasterYSize, ds.RasterXSize
    probes = [(0, 0, 0), (bands - 1, h - 1, w - 1), (bands // 2, h // 2, w // 3)]
    srs = ds.GetSpatialRef()
    entry = {
        "width": w,
        "height": h,
        "bands": bands,
        "dtype": gdal.GetDataTypeName(ds.GetRasterBand(1).DataType),
        "creation_options": options,
        "epsg": int(srs.GetAuthorityCode(None)) if srs is not None and srs.GetAuthorityCode(None) else None,
        "geotransform": list(ds.GetGeoTransform()),
        "nodata": None if nodata is None else ("nan" if math.isnan(nodata) else nodata),
        "band_descriptions": descriptions if any(descriptions) else None,
        "band_sums_excluding_nodata": sums,
        "nodata_pixels_per_band": counts,
        "pixel_probes": [{"band": b, "row": r, "col": c, "value": ("nan" if math.isnan(data[b][r, c]) else float(data[b][r, c]))}
                         for b, r, c in probes],
        "file_bytes": os.path.getsize(path),
    }
    ds = None
    return entry


manifest = {}


def readable(name, arrays, dtype, options, epsg, geotransform, **kwargs):
    write(name, arrays, dtype, options, epsg, geotransform, **kwargs)
    # GDAL must give back what it was given, or the file is no ground truth.
    back = gdal.Open(os.path.join(HERE, name)).ReadAsArray().reshape(arrays.shape)
    assert np.array_equal(back, arrays, equal_nan=arrays.dtype.kind == "f"), f"GDAL does not read back {name} as written"
    manifest[name] = describe(name, options)


def refused(name, arrays, dtype, options, message_contains, epsg=32633, colors=None):
    path = write(name, arrays, dtype, options, epsg, (500000, 10, 0, 4000000, 0, -10))
    if colors:
        ds = gdal.Open(path, gdal.GA_Update)
        table = gdal.ColorTable()
        for i, c in enumerate(colors):
            table.SetColorEntry(i, c)
        ds.GetRasterBand(1).SetRasterColorTable(table)
        ds.GetRasterBand(1).SetRasterColorInterpretation(gdal.GCI_PaletteIndex)
        ds = None
    manifest[name] = {
        "expect": "an exception naming the file, the property and its value",
        "message_contains": message_contains,
        "file_bytes": os.path.getsize(path),
    }


utm = (399960.0, 30.0, 0.0, 5000040.0, 0.0, -30.0)

# Int32 values beyond float's 24-bit mantissa; tiled, band-interleaved, big-endian, ZSTD + horizontal predictor.
a = rng.integers(-2_000_000_000, 2_000_000_000, size=(3, 30, 40), dtype=np.int64).astype(np.int32)
a[:, :2, :3] = -2147483648
readable("int32_zstd_pred2_bigendian_tiled_band.tif", a, gdal.GDT_Int32,
         ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=ZSTD", "PREDICTOR=2", "INTERLEAVE=BAND", "ENDIANNESS=BIG"],
         32633, utm, nodata=-2147483648, descriptions=["A", "B", "C"])

# Float64 with NaN nodata; strips of 5 rows (last one short); ZSTD + floating-point predictor.
f = rng.normal(0.0, 1e6, size=(2, 23, 37)) + rng.random((2, 23, 37)) * 1e-7
f[0, 3:6, 4:9] = np.nan
f[1, 22, 36] = np.nan
readable("float64_zstd_pred3_striped_nan_nodata.tif", f, gdal.GDT_Float64,
         ["COMPRESS=ZSTD", "PREDICTOR=3", "BLOCKYSIZE=5"], 32610, (500000.0, 10.0, 0.0, 4200000.0, 0.0, -10.0), nodata=float("nan"))

# UInt32 above 2^31, big-endian, DEFLATE + horizontal predictor.
u = rng.integers(3_000_000_000, 4_294_967_295, size=(1, 17, 19), dtype=np.uint64).astype(np.uint32)
readable("uint32_deflate_pred2_bigendian.tif", u, gdal.GDT_UInt32,
         ["COMPRESS=DEFLATE", "PREDICTOR=2", "ENDIANNESS=BIG"], 32736, (300000.0, 20.0, 0.0, 9000000.0, 0.0, -20.0))

# Float32, pixel-interleaved, tiled, ZSTD + floating-point predictor. (Not big-endian: GDAL 3.6 with Debian's
# libtiff 4.5 does not read back its own big-endian predictor-3 files (ZSTD or DEFLATE), so they are no ground truth.)
g = rng.normal(0.2, 0.05, size=(4, 33, 35)).astype(np.float32)
readable("float32_zstd_pred3_tiled_pixel.tif", g, gdal.GDT_Float32,
         ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=ZSTD", "PREDICTOR=3"],
         32614, (440280.0, 30.0, 0.0, 3159720.0, 0.0, -30.0), descriptions=["BLUE", "GREEN", "RED", "NIR_NARROW"])

# PackBits, pixel-is-point: GDAL shifts the geotransform half a pixel.
p = rng.integers(-500, 5000, size=(2, 21, 26)).astype(np.int16)
readable("int16_packbits_pixel_is_point.tif", p, gdal.GDT_Int16, ["COMPRESS=PACKBITS"], 32633, utm,
         nodata=-500, metadata={"AREA_OR_POINT": "Point"})

# A rotated geotransform is stored as ModelTransformationTag.
r = rng.integers(0, 255, size=(1, 12, 14)).astype(np.uint8)
readable("byte_rotated_geotransform.tif", r, gdal.GDT_Byte, [], 3857, (1000.0, 8.0, 2.0, 5000.0, 1.5, -7.0))

# Sparse: blocks that are all nodata are not written at all (no bytes in the file).
s = rng.integers(1, 60000, size=(2, 40, 40)).astype(np.uint16)
s[:, :16, :16] = 0
s[:, 32:, 16:32] = 0
readable("uint16_sparse_tiles.tif", s, gdal.GDT_UInt16,
         ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "SPARSE_OK=TRUE", "COMPRESS=LZW", "PREDICTOR=2"], 32633, utm, nodata=0)

# Layouts GeoDsl refuses.
rgb = rng.integers(0, 255, size=(3, 16, 16)).astype(np.uint8)
refused("jpeg_ycbcr.tif", rgb, gdal.GDT_Byte, ["COMPRESS=JPEG", "PHOTOMETRIC=YCBCR"], ["Compression (259)", "7 (JPEG)"])
refused("palette_byte.tif", rgb[:1], gdal.GDT_Byte, [], ["PhotometricInterpretation (262)", "3 (palette)"],
        colors=[(i, 255 - i, i // 2, 255) for i in range(256)])
refused("nbits12_uint16.tif", (rgb[:1].astype(np.uint16) * 16), gdal.GDT_UInt16, ["NBITS=12"], ["BitsPerSample (258)", "12"])
refused("int8_signed_byte.tif", rgb[:1] // 2, gdal.GDT_Byte, ["PIXELTYPE=SIGNEDBYTE"], ["SampleFormat (339)", "Int8"])

with open(os.path.join(HERE, "manifest.json"), "w") as out:
    json.dump(manifest, out, indent=1)
    out.write("\n")
print(f"wrote {len(manifest)} files")
