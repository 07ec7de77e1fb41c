/**
 * Text helpers of the HTML report: escaping, PNG data URIs, and number formatting.
 * @module
 */
import { Buffer } from "node:buffer";

/** Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

/** `data:image/png;base64,…` of PNG bytes. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${
    Buffer.from(png.buffer, png.byteOffset, png.length)
      .toString("base64")
  }`;
}

/** An `<img>` of PNG bytes with alt text, optional id, class and display width. */
export function pngImg(
  png: Uint8Array,
  alt: string,
  options: { id?: string; cls?: string; width?: number } = {},
): string {
  const id = options.id ? ` id="${escapeHtml(options.id)}"` : "";
  const cls = options.cls ? ` class="${escapeHtml(options.cls)}"` : "";
  const width = options.width ? ` width="${options.width}"` : "";
  return `<img${id}${cls}${width} alt="${escapeHtml(alt)}" src="${pngDataUri(png)}">`;
}

/** Integer with thousands separators (`12,345`). */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Byte size as `1.2 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1024, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** A `<table>` from a header row and body rows of already-escaped HTML cells. */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => `<th>${h}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
