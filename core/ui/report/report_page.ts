/**
 * The HTML page around the report sections: one self-contained file (inline CSS, images as PNG
 * data URIs, plots as inline SVG, no scripts, nothing fetched), with a table of contents.
 * @module
 */
import { escapeHtml } from "./html_text.ts";
import type { ReportSection } from "./report_section.ts";

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d2b3a;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#b9c6d3}nav{padding:8px 24px;background:#e8ecf0}
nav a{margin-right:16px;color:#1d4f80;text-decoration:none}
section{background:#fff;margin:16px 24px;padding:12px 20px;border-radius:6px;
box-shadow:0 1px 2px #0002}h2{margin-top:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d5dbe1;padding:3px 8px;
text-align:left;vertical-align:top}table.facts th{background:#f0f3f6;width:12em}
.ok{color:#17803d;font-weight:600}.bad{color:#b3261e;font-weight:600}
figure{margin:6px;display:inline-block;vertical-align:top}figcaption{font-size:12px;color:#555}
img.preview,svg.shapes{max-width:100%;height:auto;image-rendering:pixelated;background:#000}
figure.wide{display:block}img.crop{width:512px;max-width:100%;image-rendering:pixelated}
.grid{display:flex;flex-wrap:wrap;gap:6px}.grid figure img.preview{max-width:340px}
.gallery{display:flex;flex-wrap:wrap;gap:4px}figure.cell{margin:2px;background:#eee;
padding:3px}img.cell{height:96px;image-rendering:pixelated}
svg.plot{background:#fafbfc;border:1px solid #e1e5ea}svg.plot .t{font:600 12px sans-serif}
svg.plot .k{font:10px sans-serif;fill:#444}.swatch{display:inline-block;width:12px;height:12px;
margin-right:5px;border:1px solid #0005;vertical-align:middle}ul.legend{list-style:none;padding:0}
`;

/** Renders the full page. */
export function renderReportPage(
  title: string,
  subtitle: string,
  sections: readonly ReportSection[],
): string {
  const nav = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("");
  const body = sections.map((s) =>
    `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`
  ).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<nav>${nav}</nav>
${body}
</body>
</html>
`;
}
