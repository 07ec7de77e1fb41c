/**
 * Opens one TIFF file and resolves its channel planes: pages × samples, limited by OME-XML or an
 * ImageJ header to the channels of the first image, with reduced-resolution pages skipped.
 * @module
 */
import { closeSync, openSync } from "node:fs";
import { basename } from "node:path";
import { fromFile, type GeoTIFF } from "geotiff";
import { ScportraitError } from "../../errors.ts";
import { describeTiffPage, type TiffPage } from "./tiff_page.ts";
import { parseImageJDescription, parseOmeXml, type StackMetadata } from "./stack_metadata.ts";

/** One channel plane of a file: a sample of a page. */
export interface TiffPlane {
  /** The page holding the plane. */
  page: TiffPage;
  /** Sample index within the page. */
  sample: number;
}

/** An open TIFF file with its channel planes. */
export interface TiffFile {
  /** Path as given. */
  path: string;
  /** geotiff handle (owns a file descriptor). */
  tiff: GeoTIFF;
  /** File descriptor for positioned reads of uncompressed pages. */
  fd: number;
  /** Planes that are channels, in channel order. */
  planes: TiffPlane[];
  /** Channel names from the metadata, `undefined` where none. */
  names: (string | undefined)[];
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
  /** Notes for the user (e.g. only the first OME image used). */
  warnings: string[];
}

async function checkReadable(path: string): Promise<void> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new Deno.errors.NotFound(`${path} is not a file`);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ScportraitError(
        "PERMISSION_MISSING",
        `Cannot read input image ${path}: run with --allow-read covering it.`,
        { cause: error },
      );
    }
    throw new ScportraitError(
      "INPUT_NOT_FOUND",
      `Input image ${path} does not exist or is not a file: check the path in the config.`,
      { cause: error },
    );
  }
}

function invalid(path: string, what: string, cause?: unknown): ScportraitError {
  return new ScportraitError("INPUT_INVALID", `${path}: ${what}`, { cause });
}

async function readMetadata(tiff: GeoTIFF, path: string): Promise<StackMetadata | undefined> {
  const first = await tiff.getImage(0);
  const description = await first.getFileDirectory().loadValue("ImageDescription");
  if (typeof description !== "string") return undefined;
  const text = description.trim();
  if (text.startsWith("<") && text.includes("OME")) {
    try {
      return parseOmeXml(text, basename(path));
    } catch (error) {
      throw invalid(path, "its OME-XML ImageDescription is not valid XML; fix or strip it.", error);
    }
  }
  return parseImageJDescription(text);
}

async function listPages(tiff: GeoTIFF, path: string): Promise<TiffPage[]> {
  const count = await tiff.getImageCount();
  const pages: TiffPage[] = [];
  for (let i = 0; i < count; i++) {
    const page = await describeTiffPage(await tiff.getImage(i), i, path);
    if (!page.reduced) pages.push(page);
  }
  const first = pages[0];
  if (first === undefined) throw invalid(path, "it has no full-resolution page.");
  for (const page of pages) {
    if (page.height !== first.height || page.width !== first.width) {
      throw invalid(
        path,
        `page ${page.index} is ${page.height}×${page.width} but page ${first.index} is ` +
          `${first.height}×${first.width}; pages used as channels must have one size.`,
      );
    }
  }
  return pages;
}

function selectPlanes(
  path: string,
  planes: TiffPlane[],
  meta: StackMetadata | undefined,
): { planes: TiffPlane[]; names: (string | undefined)[]; warnings: string[] } {
  if (meta === undefined) return { planes, names: planes.map(() => undefined), warnings: [] };
  const label = meta.kind === "ome" ? "OME-XML" : "ImageJ header";
  if (meta.sizeZ > 1 || meta.sizeT > 1) {
    throw invalid(
      path,
      `its ${label} describes a stack with Z=${meta.sizeZ}, T=${meta.sizeT}; only 2-D images ` +
        "(Z=1, T=1) are supported. Project or select one plane first (e.g. a max projection).",
    );
  }
  if (meta.otherFiles.length > 0) {
    throw invalid(
      path,
      `its OME-XML puts planes in other files (${meta.otherFiles.join(", ")}); multi-file ` +
        "OME-TIFF is not supported. Pass each file's path as one channel instead.",
    );
  }
  const end = meta.firstPlane + meta.sizeC;
  if (planes.length < end) {
    throw invalid(
      path,
      `its ${label} declares ${meta.sizeC} channels from plane ${meta.firstPlane}, but the file ` +
        `holds ${planes.length} planes; the file is incomplete.`,
    );
  }
  const warnings = meta.imageCount > 1
    ? [`${path}: the OME-XML describes ${meta.imageCount} images; only the first is read.`]
    : [];
  const names = meta.channelNames.length === meta.sizeC
    ? meta.channelNames
    : new Array<string | undefined>(meta.sizeC).fill(undefined);
  return { planes: planes.slice(meta.firstPlane, end), names, warnings };
}

/** Opens `path` and resolves its channel planes. Throws INPUT_NOT_FOUND / INPUT_INVALID. */
export async function openTiffFile(path: string, signal?: AbortSignal): Promise<TiffFile> {
  await checkReadable(path);
  let tiff: GeoTIFF;
  try {
    tiff = await fromFile(path, signal);
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    throw invalid(path, `not a readable TIFF file (geotiff: ${said}).`, error);
  }
  let fd: number | undefined;
  try {
    const pages = await listPages(tiff, path);
    const all = pages.flatMap((page) =>
      Array.from({ length: page.samples }, (_, sample) => ({ page, sample }))
    );
    const { planes, names, warnings } = selectPlanes(path, all, await readMetadata(tiff, path));
    fd = openSync(path, "r");
    return {
      path,
      tiff,
      fd,
      planes,
      names,
      height: pages[0].height,
      width: pages[0].width,
      warnings,
    };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    await tiff.close();
    if (error instanceof ScportraitError) throw error;
    const said = error instanceof Error ? error.message : String(error);
    throw invalid(path, `the TIFF structure is corrupt (geotiff: ${said}).`, error);
  }
}
