/**
 * The page's static assets as string constants: the bundle is one file per bin, so nothing is
 * read from disk at run time, and nothing is loaded from another origin.
 */

export const STYLESHEET_PATH = "/stylesheets/supervisor.css";
export const SCRIPT_PATH = "/scripts/supervisor.js";

/** supervisord's stylesheet, trimmed, with colours in place of its state images. */
export const STYLESHEET = `body, td, input, select, textarea, a {
  font: 12px/1.5em arial, helvetica, verdana, sans-serif;
  color: #333;
}
html, body, form, fieldset, h1, h2, h3, h4, h5, h6, p, pre, blockquote, ul, ol, dl, address {
  margin: 0;
  padding: 0;
}
img, table { border-width: 0; }
body { background-color: #FFFFF3; color: #333; }
a:link, a:visited { color: #333; }
a:hover { color: #000; }
.left { float: left; }
.right { text-align: right; float: right; }
.clr:after { content: "."; display: block; height: 0; clear: both; visibility: hidden; }
.clr { display: block; }
html, body { height: 100%; }
#wrapper { min-height: 100%; height: auto !important; width: 850px; margin: 0 auto -31px; }
#footer, .push { height: 30px; }
.hidden, .js-only { display: none; }
#header { margin-bottom: 13px; padding: 10px 0 13px 0; border-bottom: 3px double #919191; }
#header h1 { font-size: 20px; line-height: 1.4em; }
#header .identification { color: #777; font-size: 14px; font-weight: normal; }
.status_msg { padding: 5px 10px; border: 1px solid #919191; background-color: #FBFBFB; color: #000; }
#buttons { margin: 13px 0; }
#buttons li { float: left; display: block; margin: 0 7px 0 0; }
#buttons a { float: left; display: block; padding: 1px 0 0 0; }
#buttons a, #buttons a:link { text-decoration: none; }
#buttons li.auto-refresh { padding: 1px 5px; }
.action-button {
  border: 1px solid #919191; text-transform: uppercase; padding: 0 5px; border-radius: 4px;
  color: #50504d; font-size: 12px; background: #fbfbfb; font-weight: 600;
}
.action-button:hover { border: 1px solid #88b0f2; background: #fff; }
table { width: 100%; border: 1px solid #919191; }
th { background-color: #919191; color: #fff; text-align: left; }
th.state { text-align: center; width: 44px; }
th.desc { width: 200px; }
th.name { width: 200px; }
td, th { padding: 4px 8px; border-bottom: 1px solid #fff; }
tr td { background-color: #FBFBFB; }
tr.shade td { background-color: #F0F0F0; }
tr.group td { background-color: #E4E4DC; border-top: 1px solid #C8C8C2; }
.action ul { list-style: none; display: inline; }
.action li { margin-right: 10px; display: inline; }
.status span {
  display: block; width: 60px; height: 16px; border: 1px solid #fff; text-align: center;
  font-size: 95%; line-height: 1.4em;
}
.statusnominal { background-color: #D8D8D0; }
.statusrunning { background-color: #9BD67A; }
.statuserror { background-color: #E9827A; }
p.empty { padding: 10px 0; }
#footer {
  width: 760px; margin: 0 auto; padding: 0 10px; line-height: 30px; border: 1px solid #C8C8C2;
  border-bottom-width: 0; background-color: #FBFBFB; overflow: hidden; opacity: 0.7; color: #000;
  font-size: 95%;
}
#footer a { font-size: inherit; }
#tail { margin: 10px; }
#tail pre { white-space: pre-wrap; word-break: break-all; font: 12px/1.4em monospace; }
`;

/**
 * Auto-refresh: when the box is ticked, re-fetch this page every few seconds and swap in the new
 * process table (rendered and escaped by the server, so the page never builds HTML itself). The
 * choice survives reloads in localStorage. Without JavaScript the toggle stays hidden.
 */
export const SCRIPT = `(function () {
  "use strict";
  var PERIOD_MS = 3000;
  var KEY = "supervisor.autorefresh";
  var box = document.getElementById("autorefresh");
  var control = document.getElementById("autorefresh-control");
  if (!box || !control || !window.fetch || !window.DOMParser) return;
  control.classList.remove("js-only");
  var timer = null;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = box.checked ? setTimeout(refresh, PERIOD_MS) : null;
  }
  function refresh() {
    timer = null;
    fetch("index.html", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("process-list");
        var current = document.getElementById("process-list");
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () { /* keep the last table; try again next period */ })
      .then(schedule);
  }
  box.checked = stored();
  box.addEventListener("change", function () { store(box.checked); if (box.checked) refresh(); else schedule(); });
  schedule();
})();
`;
