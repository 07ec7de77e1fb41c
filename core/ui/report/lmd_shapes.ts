/**
 * Reads the cutting shapes of a Leica LMD XML file (the structure py-lmd writes:
 * `ImageData` › calibration points `X_CalibrationPoint_i` / `Y_CalibrationPoint_i` and
 * `Shape_n` › `PointCount`, `CapID`, `X_i` / `Y_i`), and maps XML coordinates back to image
 * pixels by undoing py-lmd's `p' = (p · T) · s` with `p = (row, col)`.
 * @module
 */
import { XMLParser } from "fast-xml-parser";
import { ScportraitError } from "../../errors.ts";

/** One cutting shape. */
export interface LmdShape {
  /** Points in XML coordinates, `[x, y]`, in file order. */
  points: [number, number][];
  /** `CapID` (well), if given. */
  well: string | null;
}

/** The contents of one XML file. */
export interface LmdFile {
  /** Calibration points in XML coordinates, in file order. */
  calibration: [number, number][];
  /** Shapes in cutting order. */
  shapes: LmdShape[];
}

function indexed(obj: Record<string, unknown>, re: RegExp): [number, string][] {
  const out: [number, string][] = [];
  for (const [key, value] of Object.entries(obj)) {
    const m = re.exec(key);
    if (m) out.push([Number(m[1]), String(value)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function pairs(obj: Record<string, unknown>, xs: RegExp, ys: RegExp, where: string) {
  const x = new Map(indexed(obj, xs));
  const y = new Map(indexed(obj, ys));
  const out: [number, number][] = [];
  for (const [i, xv] of x) {
    const yv = y.get(i);
    const px = Number(xv), py = Number(yv);
    if (yv === undefined || !Number.isFinite(px) || !Number.isFinite(py)) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${where}: point ${i} has no numeric X/Y pair (X=${xv}, Y=${yv}); fix or rewrite the file.`,
      );
    }
    out.push([px, py]);
  }
  return out;
}

/** Parses LMD XML `text` (`file` names it in errors). */
export function parseLmdXml(text: string, file: string): LmdFile {
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({ parseTagValue: false }).parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ScportraitError("INPUT_INVALID", `${file} is not well-formed XML.`, { cause: error });
  }
  const root = doc.ImageData as Record<string, unknown> | undefined;
  if (root === undefined || typeof root !== "object") {
    throw new ScportraitError(
      "INPUT_INVALID",
      `${file} has no <ImageData> root, so it is not a Leica LMD cutting file.`,
    );
  }
  const calibration = pairs(root, /^X_CalibrationPoint_(\d+)$/, /^Y_CalibrationPoint_(\d+)$/, file);
  const shapes: LmdShape[] = [];
  for (const [n, _] of indexed(root, /^Shape_(\d+)$/)) {
    const raw = root[`Shape_${n}`];
    const list = Array.isArray(raw) ? raw : [raw];
    for (const shape of list as Record<string, unknown>[]) {
      if (shape === null || typeof shape !== "object") continue;
      shapes.push({
        points: pairs(shape, /^X_(\d+)$/, /^Y_(\d+)$/, `${file} Shape_${n}`),
        well: shape.CapID === undefined ? null : String(shape.CapID),
      });
    }
  }
  return { calibration, shapes };
}

/**
 * Maps XML `[x, y]` back to image `[row, col]`: `p = (p' / s) · T⁻¹`. Null when `T` is not
 * invertible or `s` is not positive.
 */
export function xmlToPixels(
  transform: readonly (readonly number[])[],
  scale: number,
): ((p: readonly [number, number]) => [number, number]) | null {
  const [[a, b], [c, d]] = transform;
  const det = a * d - b * c;
  if (!(scale > 0) || !Number.isFinite(det) || det === 0) return null;
  // inverse of [[a, b], [c, d]] is [[d, -b], [-c, a]] / det; row vector times matrix
  return ([x, y]) => {
    const u = x / scale, v = y / scale;
    return [(u * d - v * c) / det, (-u * b + v * a) / det];
  };
}
