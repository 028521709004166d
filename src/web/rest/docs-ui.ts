/**
 * The browsable docs of the REST API: Swagger UI (the UI Supvisors' Flask-RESTX application
 * serves), from the swagger-ui-dist npm package, read once and served from memory; nothing from
 * another origin. The page has no inline script: a small initializer of ours reads the document's
 * address from the page.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeHtml } from "../html.js";

export interface DocsAsset {
  readonly type: string;
  readonly body: Buffer;
}

const JS = "text/javascript;charset=utf-8";
const CSS = "text/css;charset=utf-8";

/** Reads the document's URL from the page's data attribute (the CSP forbids inline script). */
const INITIALIZER = `"use strict";
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.getAttribute("data-spec"), dom_id: "#swagger-ui", deepLinking: true, tryItOutEnabled: false });
});
`;

function packageFile(name: string): Buffer {
  return readFileSync(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`));
}

const SOURCES: Readonly<Record<string, () => DocsAsset>> = {
  "swagger-ui.css": () => ({ type: CSS, body: packageFile("swagger-ui.css") }),
  "swagger-ui-bundle.js": () => ({ type: JS, body: packageFile("swagger-ui-bundle.js") }),
  "docs-init.js": () => ({ type: JS, body: Buffer.from(INITIALIZER) }),
  "favicon-32x32.png": () => ({ type: "image/png", body: packageFile("favicon-32x32.png") }),
};

const loaded = new Map<string, DocsAsset>();

export function docsAsset(name: string): DocsAsset | null {
  const source = SOURCES[name];
  if (!source) return null;
  let a = loaded.get(name);
  if (!a) loaded.set(name, (a = source()));
  return a;
}

/** Swagger UI sets style attributes and draws its icons from data: URIs. */
export const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

/** `assets` is where docsAsset's files are served (`/api/docs/`), `spec` the document's URL. */
export function docsPage(title: string, assets: string, spec: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assets)}swagger-ui.css">
<link rel="icon" type="image/png" href="${escapeHtml(assets)}favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-spec="${escapeHtml(spec)}"></div>
<script src="${escapeHtml(assets)}swagger-ui-bundle.js"></script>
<script src="${escapeHtml(assets)}docs-init.js"></script>
</body>
</html>
`;
}
