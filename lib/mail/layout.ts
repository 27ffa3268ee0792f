/**
 * One mail, written once as blocks and rendered twice: as plain text and as
 * simple HTML with inline styles (mail programs drop style sheets). Every
 * text reaches the HTML through `escapeHtml`, so nothing a patient or a
 * doctor typed can become markup.
 *
 * @module
 */
import { escapeHtml, webLink } from "./clean.ts";

/** A label and its value; a struck value is one that no longer holds. */
export interface Fact {
  label: string;
  value: string;
  struck?: boolean;
}

export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "facts"; rows: Fact[] }
  | {
    kind: "link";
    label: string;
    url: string;
    fallback: string;
    note?: string;
  }
  | { kind: "note"; label: string; text: string }
  | { kind: "list"; heading: string; items: string[] }
  | { kind: "lines"; lines: string[] };

export interface Layout {
  language: string;
  /** The sender's name, above the heading. */
  clinicName: string;
  heading: string;
  /** The mail's subject, as the HTML page's title. */
  title: string;
  blocks: Block[];
}

const COLOUR = "#0b6e4f";
const MUTED = "#52606d";
const INK = "#1f2933";

function textBlock(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return block.text;
    case "facts":
      return block.rows.map((r) => `${r.label}: ${r.value}`).join("\n");
    case "link":
      return [
        `${block.label}:`,
        webLink(block.url),
        ...(block.note ? [block.note] : []),
      ].join("\n");
    case "note":
      return `${block.label}\n${block.text}`;
    case "list":
      return [block.heading, ...block.items.map((item) => `- ${item}`)]
        .join("\n");
    case "lines":
      return block.lines.join("\n");
  }
}

export function renderText(layout: Layout): string {
  return [layout.heading, ...layout.blocks.map(textBlock)].join("\n\n") +
    "\n";
}

/** Escaped text, its line breaks kept as `<br>`. */
function html(text: string): string {
  return text.split("\n").map(escapeHtml).join("<br>");
}

const P = `style="margin:0 0 16px;"`;

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return `<p ${P}>${html(block.text)}</p>`;
    case "facts":
      return `<table style="margin:0 0 16px;border-collapse:collapse;">${
        block.rows.map((r) =>
          `<tr><th scope="row" style="padding:4px 12px 4px 0;text-align:left;vertical-align:top;font-weight:bold;">${
            html(r.label)
          }</th><td style="padding:4px 0;">${
            r.struck
              ? `<del style="color:${MUTED};">${html(r.value)}</del>`
              : html(r.value)
          }</td></tr>`
        ).join("")
      }</table>`;
    case "link": {
      const href = escapeHtml(webLink(block.url));
      return `<p style="margin:8px 0 16px;"><a href="${href}" style="display:inline-block;padding:12px 24px;background-color:${COLOUR};color:#ffffff;font-weight:bold;text-decoration:none;border-radius:6px;">${
        html(block.label)
      }</a></p><p style="margin:0 0 16px;font-size:14px;color:${MUTED};">${
        html(block.fallback)
      }<br><a href="${href}" style="color:${COLOUR};word-break:break-all;">${href}</a>${
        block.note ? `<br>${html(block.note)}` : ""
      }</p>`;
    }
    case "note":
      return `<p style="margin:0 0 4px;font-weight:bold;">${
        html(block.label)
      }</p><blockquote style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #9aa5b1;background-color:#f5f7fa;">${
        html(block.text)
      }</blockquote>`;
    case "list":
      return `<h2 style="margin:24px 0 8px;font-size:18px;">${
        html(block.heading)
      }</h2><ul style="margin:0 0 16px;padding-left:24px;">${
        block.items.map((item) => `<li>${html(item)}</li>`).join("")
      }</ul>`;
    case "lines":
      return `<p style="margin:0 0 16px;">${
        block.lines.map(html).join("<br>")
      }</p>`;
  }
}

export function renderHtml(layout: Layout): string {
  const lang = escapeHtml(layout.language);
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(layout.title)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f5f4;">
<div style="max-width:600px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:${INK};background-color:#ffffff;">
<p style="margin:0 0 16px;font-size:14px;color:${MUTED};">${
    escapeHtml(layout.clinicName)
  }</p>
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">${
    html(layout.heading)
  }</h1>
${layout.blocks.map(htmlBlock).join("\n")}
</div>
</body>
</html>
`;
}
