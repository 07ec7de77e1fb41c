/**
 * The channel/Z/T layout a TIFF declares in its first ImageDescription: OME-XML (`Pixels` of the
 * first `Image`, channel names from `Channel@Name`) or an ImageJ hyperstack header.
 * @module
 */
import { XMLParser } from "fast-xml-parser";

/** What the file's metadata says about its planes. */
export interface StackMetadata {
  /** `ome` or `imagej`. */
  kind: "ome" | "imagej";
  /** Number of channels. */
  sizeC: number;
  /** Number of Z planes. */
  sizeZ: number;
  /** Number of time points. */
  sizeT: number;
  /** Channel names (OME `Channel@Name`), `undefined` where a channel has none. */
  channelNames: (string | undefined)[];
  /** Index of the first plane (page × samples) of the first image (OME `TiffData@IFD`). */
  firstPlane: number;
  /** File names of other files the OME-XML puts planes in (multi-file OME-TIFF). */
  otherFiles: string[];
  /** Number of OME `Image` elements (series) in the file. */
  imageCount: number;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  isArray: (name) => ["Image", "Channel", "TiffData"].includes(name),
});

type XmlNode = Record<string, unknown>;

function asNodes(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

function intAttr(node: XmlNode | undefined, name: string, fallback: number): number {
  const raw = node?.[`@_${name}`];
  const n = typeof raw === "number" ? raw : Number(raw);
  return raw === undefined || !Number.isFinite(n) ? fallback : n;
}

/**
 * Parses OME-XML `text`. Returns `undefined` when it has no `OME/Image/Pixels`; throws the
 * parser's error when the XML is malformed.
 */
export function parseOmeXml(text: string, fileName: string): StackMetadata | undefined {
  const doc = parser.parse(text) as XmlNode;
  const ome = doc.OME as XmlNode | undefined;
  const images = asNodes(ome?.Image);
  const pixels = images[0]?.Pixels as XmlNode | undefined;
  if (pixels === undefined) return undefined;
  const channels = asNodes(pixels.Channel);
  const tiffData = asNodes(pixels.TiffData);
  const otherFiles = new Set<string>();
  for (const td of tiffData) {
    const uuid = td.UUID as XmlNode | string | undefined;
    const name = typeof uuid === "object" ? uuid?.["@_FileName"] : undefined;
    if (typeof name === "string" && name !== fileName) otherFiles.add(name);
  }
  return {
    kind: "ome",
    sizeC: intAttr(pixels, "SizeC", 1),
    sizeZ: intAttr(pixels, "SizeZ", 1),
    sizeT: intAttr(pixels, "SizeT", 1),
    channelNames: channels.map((c) => {
      const name = c["@_Name"];
      return name === undefined || name === "" ? undefined : String(name);
    }),
    firstPlane: intAttr(tiffData[0], "IFD", 0),
    otherFiles: [...otherFiles],
    imageCount: images.length,
  };
}

/** Parses an ImageJ header (`ImageJ=…\nchannels=3\nslices=1…`); `undefined` if it is not one. */
export function parseImageJDescription(text: string): StackMetadata | undefined {
  if (!text.startsWith("ImageJ=")) return undefined;
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) fields.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const get = (key: string) => {
    const n = Number(fields.get(key));
    return Number.isInteger(n) && n > 0 ? n : 1;
  };
  const sizeC = get("channels");
  return {
    kind: "imagej",
    sizeC,
    sizeZ: get("slices"),
    sizeT: get("frames"),
    channelNames: new Array(sizeC).fill(undefined),
    firstPlane: 0,
    otherFiles: [],
    imageCount: 1,
  };
}
