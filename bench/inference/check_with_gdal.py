#!/usr/bin/env python3
"""Checks GeoDsl's tiled scene predictions with GDAL's own reader (gdalinfo), which CI does not have.

usage: check_with_gdal.py SCENE.tif CLASSES.tif [PROBABILITIES.tif]
       check_with_gdal.py            (the quickstart's scene and outputs, after `dotnet run --project samples/GeoDsl.Quickstart`)

For each output: same size, geotransform and CRS (WKT and EPSG) as the scene; the expected band type and nodata;
class values within the classes; per-pixel probabilities that sum to 1 (checked on GDAL's band means). Exits 1 on
the first difference, printing it.
"""
import glob
import json
import math
import os
import subprocess
import sys


def gdalinfo(path):
    # GDAL_PAM_ENABLED=NO: -stats would otherwise leave a .aux.xml file beside every file it reads.
    environment = dict(os.environ, GDAL_PAM_ENABLED="NO")
    text = subprocess.run(["gdalinfo", "-json", "-stats", "-nomd", path], check=True, capture_output=True, text=True, env=environment).stdout
    return json.loads(text)


def epsg(info):
    return info.get("stac", {}).get("proj:epsg")


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check_georeferencing(scene, output, name):
    if scene["size"] != output["size"]:
        fail(f"{name}: size {output['size']}, scene {scene['size']}")
    if any(abs(a - b) > 1e-9 * max(1, abs(a)) for a, b in zip(scene["geoTransform"], output["geoTransform"])):
        fail(f"{name}: geotransform {output['geoTransform']}, scene {scene['geoTransform']}")
    if scene["coordinateSystem"]["wkt"] != output["coordinateSystem"]["wkt"]:
        fail(f"{name}: CRS differs from the scene's")
    if epsg(scene) != epsg(output):
        fail(f"{name}: EPSG {epsg(output)}, scene {epsg(scene)}")
    print(f"ok  {name}: {output['size'][0]}x{output['size'][1]}, geotransform {output['geoTransform']}, EPSG {epsg(output)} as the scene")


def main(argv):
    if len(argv) == 0:
        cache = os.environ.get("GEODSL_QUICKSTART_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "geodsl", "quickstart")
        out = os.environ.get("GEODSL_QUICKSTART_OUTPUT") or os.path.join("artifacts", "quickstart")
        scenes = [p for p in glob.glob(os.path.join(cache, "scene", "scene_*.tif")) if not p.endswith("_mask.tif")]
        if not scenes:
            fail(f"no quickstart scene under {cache}/scene; run the quickstart first")
        argv = [scenes[0], os.path.join(out, "scene_classes.tif"), os.path.join(out, "scene_probabilities.tif")]
    scene = gdalinfo(argv[0])
    print(f"scene {argv[0]}: {scene['size'][0]}x{scene['size'][1]}, {len(scene['bands'])} bands")

    classes = gdalinfo(argv[1])
    check_georeferencing(scene, classes, os.path.basename(argv[1]))
    band = classes["bands"][0]
    if band["type"] != "Byte" or band.get("noDataValue") != 255:
        fail(f"classes: type {band['type']}, nodata {band.get('noDataValue')}; expected Byte with nodata 255")
    print(f"ok  classes: Byte, nodata 255, values {band['minimum']:g}..{band['maximum']:g}, mean {band['mean']:.4f} (GDAL statistics)")

    if len(argv) > 2:
        probabilities = gdalinfo(argv[2])
        check_georeferencing(scene, probabilities, os.path.basename(argv[2]))
        bands = probabilities["bands"]
        if any(b["type"] != "Float32" for b in bands) or not all(math.isnan(float(b.get("noDataValue", 0))) for b in bands):
            fail("probabilities: expected Float32 bands with nodata NaN")
        total = sum(b["mean"] for b in bands)
        if abs(total - 1) > 1e-4 or min(b["minimum"] for b in bands) < 0 or max(b["maximum"] for b in bands) > 1:
            fail(f"probabilities: band means sum to {total}, range {[ (b['minimum'], b['maximum']) for b in bands ]}")
        names = [b.get("description", "") for b in bands]
        print(f"ok  probabilities: {len(bands)} Float32 bands {names}, nodata NaN, band means sum to {total:.6f}")
    print("all checks passed")


if __name__ == "__main__":
    main(sys.argv[1:])
