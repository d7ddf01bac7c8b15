"""The world map's shapes: cut at the antimeridian, nothing lost, the committed file fresh."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import cut_antimeridian  # noqa: E402


def shapes(path: Path) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Country name -> polygons -> rings of (lon, lat)."""
    topology = json.loads(path.read_text())
    arcs = cut_antimeridian.decode_arcs(topology)
    out = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        polygons = geometry["arcs"] if kind == "MultiPolygon" else [geometry["arcs"]]
        out[geometry["properties"]["name"]] = [
            [cut_antimeridian.ring_points(arcs, ring) for ring in polygon] for polygon in polygons
        ]
    return out


def long_edges(rings) -> list[tuple]:
    """Edges that jump across the map (more than 180° of longitude), except along a pole."""
    return [
        (a, b)
        for ring in rings
        for a, b in itertools.pairwise(ring)
        if abs(a[0] - b[0]) > 180 and not (abs(a[1]) > 89.9 and abs(b[1]) > 89.9)
    ]


def test_the_vendored_shapes_cross_the_antimeridian():
    """The control: without the cut, Russia and Fiji are drawn across the world."""
    original = shapes(cut_antimeridian.SOURCE)
    crossing = {
        name for name, polygons in original.items() if long_edges([r for p in polygons for r in p])
    }
    assert {"Russia", "Fiji"} <= crossing


def test_no_shape_is_drawn_across_the_map():
    cut = shapes(cut_antimeridian.TARGET)
    for name, polygons in cut.items():
        assert long_edges([ring for polygon in polygons for ring in polygon]) == [], name


def test_every_country_is_kept_with_its_area():
    from shapely.geometry import Polygon

    original, cut = shapes(cut_antimeridian.SOURCE), shapes(cut_antimeridian.TARGET)
    assert sorted(original) == sorted(cut)
    for name in ("Fiji", "Russia", "Serbia", "United States of America"):
        area = sum(Polygon(p[0], p[1:]).area for p in cut[name])
        unwrapped = sum(Polygon(cut_antimeridian.unwrap(p[0])).area for p in original[name])
        assert abs(area - unwrapped) / unwrapped < 0.01, name
    # Fiji now has parts on both sides of the antimeridian, each within [-180, 180].
    sides = {p[0][0][0] > 0 for p in cut["Fiji"]}
    assert sides == {True, False}


def test_the_committed_file_is_what_the_script_makes():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cut_antimeridian.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
