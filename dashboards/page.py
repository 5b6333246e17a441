"""The single self-contained HTML page: plotly.js inlined, figures and data as inert JSON,
and a small script that draws them and applies the Sankey filters. No CDN, no server."""

from __future__ import annotations

import json
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs

from .style import esc
from .views import View

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;
margin:0;color:#222;background:#fafafa;line-height:1.45}
header{background:#fff;border-bottom:1px solid #ddd;padding:1rem 1.5rem}
header h1{margin:0 0 .3rem;font-size:1.5rem}
nav{background:#fff;border-bottom:1px solid #ddd;
padding:.4rem 1.5rem;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.9rem}
nav a{color:#0072B2;text-decoration:none}
main{max-width:1280px;margin:0 auto;padding:0 1rem 3rem}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;margin:1.2rem 0;
padding:.8rem 1.2rem}
section h2{margin:.2rem 0 .5rem;font-size:1.25rem}
figure{margin:.8rem 0 1.4rem}
.plot{width:100%;min-height:300px}
figcaption,.caption{font-size:.92rem;color:#444;margin-top:.3rem}
.note{background:#fff8e5;border-left:4px solid #E69F00;padding:.4rem .7rem;margin:.5rem 0;
font-size:.92rem}
.controls{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.4rem 0;font-size:.9rem}
.controls select{font-size:.9rem;max-width:28rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;position:sticky;top:0}
.scroll{max-height:28rem;overflow:auto}
code{font-size:.85em}
section h3{margin:.9rem 0 .3rem;font-size:1.05rem}
ul.facts,ul.findings{margin:.3rem 0;padding-left:1.3rem}
ul.findings li{margin:.25rem 0}
dl.regimes dt{font-weight:600;margin-top:.4rem}
dl.regimes dd{margin:0 0 0 1.2rem}
#page-error{display:none;background:#fde;border:1px solid #D55E00;padding:.5rem 1rem}
"""

APP_JS = r"""
(function(){
  "use strict";
  var FIGS = JSON.parse(document.getElementById("dash-figures").textContent);
  var DATA = JSON.parse(document.getElementById("dash-data").textContent);
  var CONFIG = {responsive: true, displaylogo: false,
                toImageButtonOptions: {format: "png", scale: 2}};
  function fail(err){
    var box = document.getElementById("page-error");
    box.style.display = "block";
    box.textContent = "A chart failed to draw: " + err;
    console.error(err);
  }
  function draw(id){
    var fig = FIGS[id], div = document.getElementById("fig-" + id);
    var cfg = Object.assign({}, CONFIG, {toImageButtonOptions:
      {format: "png", scale: 2, filename: id}});
    return Plotly.newPlot(div, fig.data, fig.layout, cfg).then(function(){
      if (fig.frames && fig.frames.length) { return Plotly.addFrames(div, fig.frames); }
    });
  }
  function escHtml(t){
    return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function value(id){ var e = document.getElementById(id); return e ? e.value : ""; }
  function sankeyUpdate(){
    var D = DATA.sankey; if (!D) { return; }
    var cfg = +(value("sankey-config") || 0);
    var a = +value("sankey-from"), b = +value("sankey-to");
    var lo = Math.min(a, b), hi = Math.max(a, b);
    var l = value("sankey-life"), s = value("sankey-sex"), x = value("sankey-formality");
    var n = D.states.length, sums = {}, i, k;
    for (i = 0; i < D.v.length; i++) {
      if (D.c[i] !== cfg || D.p[i] < lo || D.p[i] > hi) { continue; }
      if ((l !== "" && D.l[i] !== +l) || (s !== "" && D.s[i] !== +s) ||
          (x !== "" && D.x[i] !== +x)) { continue; }
      k = D.f[i] * n + D.t[i];
      sums[k] = (sums[k] || 0) + D.v[i];
    }
    var src = [], tgt = [], val = [], col = [];
    Object.keys(sums).map(Number).sort(function(p, q){ return p - q; }).forEach(function(k){
      if (sums[k] <= 0) { return; }
      var f = Math.floor(k / n), t = k % n, h = D.colours[f];
      src.push(f); tgt.push(n + t); val.push(Math.round(sums[k] * 100) / 100);
      col.push("rgba(" + parseInt(h.substr(1, 2), 16) + "," + parseInt(h.substr(3, 2), 16) +
               "," + parseInt(h.substr(5, 2), 16) + ",0.35)");
    });
    var div = document.getElementById("fig-sankey");
    var labels = D.states.map(function(z){ return z + " (from)"; })
      .concat(D.states.map(function(z){ return z + " (to)"; }));
    var trace = Object.assign({}, div.data[0], {
      node: Object.assign({}, div.data[0].node,
                          {label: labels, color: D.colours.concat(D.colours)}),
      link: {source: src, target: tgt, value: val, color: col}});
    var who = D.configs.length > 1 ? D.configs[cfg] : "this run";
    var picked = ["sankey-life", "sankey-sex", "sankey-formality"].map(function(id){
      var e = document.getElementById(id);
      return e && e.value !== "" ? escHtml(e.options[e.selectedIndex].text) : null;
    }).filter(Boolean);
    var title = "Moves between states, months " + (lo * D.period) + "-" +
      ((hi + 1) * D.period - 1) + " (" + who + (picked.length ? "; " + picked.join(", ") : "") +
      ", mean per run)";
    var layout = Object.assign({}, div.layout,
      {title: Object.assign({}, div.layout.title, {text: title})});
    document.getElementById("fig-sankey").setAttribute("data-total",
      String(val.reduce(function(p, q){ return p + q; }, 0)));
    return Plotly.react(div, [trace], layout, CONFIG);
  }
  window.dashboardSankeyUpdate = sankeyUpdate;
  var ids = Object.keys(FIGS), chain = Promise.resolve();
  ids.forEach(function(id){ chain = chain.then(function(){ return draw(id); }); });
  chain.then(function(){
    document.querySelectorAll("select.filter").forEach(function(e){
      e.addEventListener("change", function(){ sankeyUpdate(); });
    });
    document.body.setAttribute("data-ready", "true");
  }).catch(fail);
})();
"""


def _json(obj: Any) -> str:
    """JSON that is inert inside a <script> element (no '<', '>', '&' or line separators
    survive literally), so no value from a config can close the element."""
    text = pio.to_json(obj, validate=False, engine="json") if not isinstance(obj, str) else obj
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render(title: str, subtitle: list[str], views: list[View], banner: str = "") -> str:
    """The whole page as one string."""
    figures: dict[str, Any] = {}
    data: dict[str, Any] = {}
    nav = []
    sections = []
    for v in views:
        nav.append(f'<a href="#{v.id}">{esc(v.title)}</a>')
        parts = [f'<section id="{v.id}" class="view"><h2>{esc(v.title)}</h2>']
        parts += [f'<p class="note">{esc(n)}</p>' for n in v.notes]
        for c in v.charts:
            figures[c.id] = c.figure.to_plotly_json()
            parts.append(
                f'<figure class="chart" id="chart-{c.id}">{c.controls}'
                f'<div class="plot" id="fig-{c.id}"></div>'
                f"<figcaption>{esc(c.caption)}</figcaption></figure>"
            )
        parts.append(v.html)
        parts.append("</section>")
        sections.append("".join(parts))
        data.update(v.data)
    sub = "".join(f"<p>{esc(s)}</p>" for s in subtitle)
    banner_html = f'<p class="note">{esc(banner)}</p>' if banner else ""
    figures_json = _json(pio.to_json(figures, validate=False, engine="json"))
    data_json = _json(json.dumps(data, allow_nan=False, separators=(",", ":")))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f"<header><h1>{esc(title)}</h1>{sub}{banner_html}</header>"
        f'<nav aria-label="views">{"".join(nav)}</nav>'
        f'<main><div id="page-error" role="alert"></div>{"".join(sections)}</main>'
        f'<script type="application/json" id="dash-figures">{figures_json}</script>'
        f'<script type="application/json" id="dash-data">{data_json}</script>'
        f"<script>{APP_JS}</script></body></html>"
    )
