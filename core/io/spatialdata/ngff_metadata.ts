/**
 * NGFF 0.4 metadata of SpatialData raster elements, shaped as spatialdata (container format 0.1,
 * raster format 0.1) writes it for zarr v2: `multiscales` with `axes`, per-level `scale` transforms
 * (full shape / level shape, like spatialdata's `generate_coordinate_transformations`), an element
 * level `coordinateTransformations` entry mapping to the `global` coordinate system, `omero`
 * channel labels for images, `image-label` for labels, and `spatialdata_attrs.version`.
 * @module
 */

/** Images or labels. */
export type RasterKind = "image" | "labels";

/** One NGFF axis. */
export interface NgffAxis {
  /** Axis name (`c`, `y`, `x`). */
  name: string;
  /** `channel` or `space`. */
  type: "channel" | "space";
  /** Unit (spatialdata uses the placeholder `unit` inside transformations). */
  unit?: string;
}

/** spatialdata's raster element format version for zarr v2 / NGFF 0.4 (RasterFormatV01). */
export const SPATIALDATA_RASTER_VERSION = "0.1";
/** NGFF version written in `multiscales[].version` and `image-label.version`. */
export const NGFF_VERSION = "0.4";

/** Axis names of a raster kind: (c, y, x) for images, (y, x) for labels. */
export function axisNames(kind: RasterKind): string[] {
  return kind === "image" ? ["c", "y", "x"] : ["y", "x"];
}

/** The NGFF `axes` list (no units, as ome-zarr-py writes it for spatialdata). */
export function ngffAxes(kind: RasterKind): NgffAxis[] {
  return axisNames(kind).map((name) => ({ name, type: name === "c" ? "channel" : "space" }));
}

/** spatialdata's identity transformation from the element's axes to the `global` system. */
export function identityToGlobal(kind: RasterKind): Record<string, unknown> {
  const names = axisNames(kind);
  const axes: NgffAxis[] = names.map((name) =>
    name === "c" ? { name, type: "channel" } : { name, type: "space", unit: "unit" }
  );
  return {
    type: "identity",
    input: { name: names.join(""), axes },
    output: { name: "global", axes },
  };
}

/** Per-level `scale` transform: level-0 shape divided by the level shape, per axis. */
export function levelScale(level0: readonly number[], level: readonly number[]): number[] {
  return level0.map((full, i) => full / level[i]);
}

/** The element group's `.zattrs` once the element is complete. */
export function rasterAttrs(
  kind: RasterKind,
  name: string,
  levelShapes: readonly (readonly number[])[],
  channelNames: readonly string[] | null,
): Record<string, unknown> {
  const multiscale = {
    version: NGFF_VERSION,
    name,
    axes: ngffAxes(kind),
    datasets: levelShapes.map((shape, i) => ({
      path: String(i),
      coordinateTransformations: [{ type: "scale", scale: levelScale(levelShapes[0], shape) }],
    })),
    coordinateTransformations: [identityToGlobal(kind)],
  };
  const attrs: Record<string, unknown> = { multiscales: [multiscale] };
  if (kind === "image" && channelNames !== null) {
    attrs.omero = { channels: channelNames.map((label) => ({ label })) };
  } else {
    attrs["image-label"] = { version: NGFF_VERSION };
  }
  attrs.spatialdata_attrs = { version: SPATIALDATA_RASTER_VERSION };
  return attrs;
}
