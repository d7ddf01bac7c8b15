"""Cut the world map's country shapes at the antimeridian (run at development time).

The vendored world-atlas `countries-110m.json` (Natural Earth, public domain) draws Russia and
Fiji as rings that jump from longitude 180 to -180. A flat map (Leaflet) joins those points
with a line across the whole world. This script writes a copy in which every such ring is cut
at ±180° into parts that stay on one side, and rings that go round a pole (Antarctica) are
closed through the pole instead. Shapes that do not cross keep their shared arcs untouched.

    python scripts/cut_antimeridian.py            # writes the committed file below
    python scripts/cut_antimeridian.py --check    # exit 1 if the committed file is stale

Input:  src/citywatch/web/static/vendor/world-atlas-2.0.2/countries-110m.json
Output: src/citywatch/web/static/citywatch/map/countries-110m-cut.json (TopoJSON, same
        quantisation; read by citywatch/js/map.js through topojson-client)
Needs shapely (a development dependency); the app needs nothing of this at run time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

from shapely.affinity import translate
from shapely.geometry import Polygon, box
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "citywatch" / "web" / "static"
SOURCE = STATIC / "vendor" / "world-atlas-2.0.2" / "countries-110m.json"
TARGET = STATIC / "citywatch" / "map" / "countries-110m-cut.json"

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute (lon, lat) points of every arc (delta-decoded, transform applied)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs: list[list[Point]], indexes: list[int]) -> Ring:
    points: Ring = []
    for index in indexes:
        part = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(part if not points else part[1:])
    return points


def crosses(ring: Ring) -> bool:
    return any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(ring))


def unwrap(ring: Ring) -> Ring:
    """The ring with ±360° added where it jumps, so its longitudes run on without a break."""
    out = [ring[0]]
    shift = 0.0
    for (lon_a, _lat_a), (lon_b, lat_b) in itertools.pairwise(ring):
        if lon_b - lon_a > 180:
            shift -= 360
        elif lon_a - lon_b > 180:
            shift += 360
        out.append((lon_b + shift, lat_b))
    return out


def close_through_pole(ring: Ring) -> Ring:
    """A ring that goes round a pole: at the jump, run along ±180° to the pole and back."""
    out = [ring[0]]
    for a, b in itertools.pairwise(ring):
        if abs(a[0] - b[0]) > 180:
            pole = 90.0 if a[1] > 0 else -90.0
            out += [(a[0], pole), (b[0], pole)]
        out.append(b)
    return out


def cut_polygon(rings: list[Ring]) -> list[list[Ring]]:
    """One polygon (exterior, holes) as polygons that each stay within [-180, 180]."""
    exterior = unwrap(rings[0])
    if abs(exterior[0][0] - exterior[-1][0]) > 180:  # goes round a pole
        return [[close_through_pole(ring) for ring in rings]]
    holes = []
    for hole in rings[1:]:
        hole = unwrap(hole)
        offset = round((sum(p[0] for p in exterior) / len(exterior) - hole[0][0]) / 360) * 360
        holes.append([(lon + offset, lat) for lon, lat in hole])
    shape = Polygon(exterior, holes).buffer(0)
    pieces = []
    for shift in (-360, 0, 360):
        window = box(-180 - shift, -90, 180 - shift, 90)
        part = shape.intersection(window)
        if not part.is_empty:
            pieces.append(translate(part, xoff=shift))
    polygons: list[list[Ring]] = []
    for piece in pieces:
        for polygon in getattr(piece, "geoms", [piece]):
            if isinstance(polygon, Polygon) and not polygon.is_empty:
                polygon = orient(polygon, sign=-1.0)  # clockwise exteriors, as in world-atlas
                polygons.append(
                    [list(polygon.exterior.coords), *(list(i.coords) for i in polygon.interiors)]
                )
    return polygons


def encode_arc(points: Ring, topology: dict) -> list[list[int]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    encoded, last = [], (0, 0)
    for lon, lat in points:
        x, y = round((lon - tx) / sx), round((lat - ty) / sy)
        if encoded and (x, y) == last:
            continue
        encoded.append([x - last[0], y - last[1]])
        last = (x, y)
    return encoded


def cut(topology: dict) -> dict:
    """A new topology with every country shape that crosses the antimeridian cut there."""
    arcs = decode_arcs(topology)
    new_arcs = list(topology["arcs"])
    geometries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        polygons = (
            geometry["arcs"] if kind == "MultiPolygon" else [geometry["arcs"]] if kind else []
        )
        rings = [[ring_points(arcs, ring) for ring in polygon] for polygon in polygons]
        if not any(crosses(ring) for polygon in rings for ring in polygon):
            geometries.append(geometry)
            continue
        cut_polygons = [part for polygon in rings for part in cut_polygon(polygon)]
        arc_indexes = []
        for polygon in cut_polygons:
            indexes = []
            for ring in polygon:
                new_arcs.append(encode_arc(ring, topology))
                indexes.append([len(new_arcs) - 1])
            arc_indexes.append(indexes)
        geometries.append({**geometry, "type": "MultiPolygon", "arcs": arc_indexes})
    return drop_unused_arcs({**topology, "arcs": new_arcs}, geometries)


def drop_unused_arcs(topology: dict, geometries: list[dict]) -> dict:
    used: set[int] = set()

    def visit(node):
        if isinstance(node, int):
            used.add(node if node >= 0 else ~node)
        else:
            for child in node:
                visit(child)

    for geometry in geometries:
        visit(geometry.get("arcs", []))
    kept = sorted(used)
    new_index = {old: new for new, old in enumerate(kept)}

    def renumber(node):
        if isinstance(node, int):
            return new_index[node] if node >= 0 else ~new_index[~node]
        return [renumber(child) for child in node]

    renumbered = [{**g, "arcs": renumber(g["arcs"])} if "arcs" in g else g for g in geometries]
    objects = {
        **topology["objects"],
        "countries": {**topology["objects"]["countries"], "geometries": renumbered},
    }
    objects.pop("land", None)  # the map draws countries only
    return {**topology, "arcs": [topology["arcs"][i] for i in kept], "objects": objects}


def render(topology: dict) -> str:
    return json.dumps(topology, separators=(",", ":"), ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    arguments = parser.parse_args(argv)
    text = render(cut(json.loads(SOURCE.read_text())))
    if arguments.check:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is stale: run scripts/cut_antimeridian.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
