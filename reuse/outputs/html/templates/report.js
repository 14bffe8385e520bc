/* reuse report: partner jumps, passage navigation, full text / context toggle, pair list sort and filter.
   No network, no data blobs: everything is read from the (escaped) DOM. */
(function () {
  "use strict";
  var smooth = window.matchMedia && !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var how = smooth ? "smooth" : "auto";
  function into(el) { el.scrollIntoView({ block: "center", inline: "nearest", behavior: how }); }
  /* Centre a mark in its scrolling column; move the window only if the mark would still be hidden
     (under the sticky bar or below the screen), so the columns stay put on a wide screen. */
  function centre(m, view) {
    var box = m.closest(".text");
    if (!box || box.scrollHeight <= box.clientHeight + 1) { into(m); return; }
    var r = m.getBoundingClientRect(), b = box.getBoundingClientRect();
    var want = box.scrollTop + (r.top - b.top) - (box.clientHeight - r.height) / 2;
    var target = Math.max(0, Math.min(box.scrollHeight - box.clientHeight, want));
    var shift = target - box.scrollTop;
    box.scrollTo({ top: target, behavior: how });
    var top = r.top - shift, bottom = r.bottom - shift;
    var bar = view.querySelector(".vbar").getBoundingClientRect().bottom;
    if (top < bar || bottom > window.innerHeight) {
      window.scrollBy({ top: (top + bottom) / 2 - (bar + window.innerHeight) / 2, behavior: how });
    }
  }
  function currentView() {
    // by the hash, not :target, which Chromium only sets after the first paint
    var id = decodeURIComponent(location.hash.slice(1)), el = id && document.getElementById(id);
    if (el && el.classList.contains("pairview")) return el;
    return document.querySelector(".pairview.solo");
  }
  function count(view) { return view.querySelectorAll(".prow").length; }

  /* Select passage n of a pair view: outline it on both sides and bring both into view. */
  function select(view, n, from) {
    var total = count(view);
    if (!total) return;
    n = ((n % total) + total) % total;
    view.dataset.cur = String(n);
    view.querySelectorAll("mark.active, .prow.active").forEach(function (x) { x.classList.remove("active"); });
    view.querySelectorAll('mark.p[data-ps~="' + n + '"]').forEach(function (x) { x.classList.add("active"); });
    var row = view.querySelector('.prow[data-p="' + n + '"]');
    if (row) row.classList.add("active");
    var kind = row ? row.querySelector(".kind").textContent : "";
    view.querySelector(".pos").textContent = "passage " + (n + 1) + " of " + total + (kind ? " · " + kind : "");
    if (view.classList.contains("in-context")) { if (row) into(row); return; }
    ["a", "b"].forEach(function (side) {
      var col = view.querySelector(".full .side-" + side);
      if (from && col.contains(from)) return; // the clicked side stays where the reader is
      var m = col.querySelector('mark.p[data-ps~="' + n + '"]');
      if (m) centre(m, view);
    });
  }
  function step(view, d) {
    var cur = view.dataset.cur === undefined ? (d > 0 ? -1 : 0) : parseInt(view.dataset.cur, 10);
    select(view, cur + d);
  }
  function setMode(view, ctx) {
    view.classList.toggle("in-context", ctx);
    view.querySelector('[data-act="full"]').setAttribute("aria-pressed", String(!ctx));
    view.querySelector('[data-act="ctx"]').setAttribute("aria-pressed", String(ctx));
    if (view.dataset.cur !== undefined) select(view, parseInt(view.dataset.cur, 10));
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    var m = t.closest && t.closest("mark.p");
    if (m) { select(m.closest(".pairview"), parseInt(m.dataset.p, 10), m); return; }
    var b = t.closest && t.closest("button[data-act]");
    if (!b) return;
    var view = b.closest(".pairview");
    var act = b.dataset.act;
    if (act === "next") step(view, 1);
    else if (act === "prev") step(view, -1);
    else if (act === "full") setMode(view, false);
    else if (act === "ctx") setMode(view, true);
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    var view = currentView();
    if (!view) return;
    var k = ev.key;
    if (k === "j" || k === "n") step(view, 1);
    else if (k === "k" || k === "p") step(view, -1);
    else if (k === "t") setMode(view, !view.classList.contains("in-context"));
    else if (k === "Escape" && !view.classList.contains("solo")) location.hash = "#pairs";
    else return;
    ev.preventDefault();
  });

  /* Opening a pair view shows its first passage on both sides. */
  function opened() {
    var view = currentView();
    if (view && view.dataset.cur === undefined) select(view, 0);
  }
  window.addEventListener("hashchange", opened);
  // after load: a view is only laid out (and so scrollable) once the browser has applied :target
  if (document.readyState === "complete") opened(); else window.addEventListener("load", opened);

  /* Pair list: sort by a column, filter by text, source, kind and minimum score. */
  var table = document.getElementById("pairlist");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  table.querySelectorAll("th[data-key] button").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var th = btn.parentNode, key = th.dataset.key, num = th.dataset.type === "num";
      var dir = th.getAttribute("aria-sort") === "descending" ? "ascending"
        : th.getAttribute("aria-sort") === "ascending" ? "descending" : (num && key !== "rank" ? "descending" : "ascending");
      table.querySelectorAll("th[aria-sort]").forEach(function (x) { x.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      rows.sort(function (r1, r2) {
        var x = r1.dataset[key], y = r2.dataset[key], c;
        c = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return sign * c || parseInt(r1.dataset.rank, 10) - parseInt(r2.dataset.rank, 10);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var q = document.getElementById("f-q"), src = document.getElementById("f-src"),
      kind = document.getElementById("f-kind"), min = document.getElementById("f-min"),
      out = document.getElementById("f-count");
  function filter() {
    var needle = q.value.trim().toLowerCase(), s = src.value, k = kind.value, lo = parseFloat(min.value) || 0, shown = 0;
    rows.forEach(function (r) {
      var d = r.dataset;
      var ok = (!needle || (d.a + " " + d.b + " " + d.srca + " " + d.srcb).toLowerCase().indexOf(needle) !== -1)
        && (!s || d.srca === s || d.srcb === s)
        && (!k || d.kinds.split(" ").indexOf(k) !== -1)
        && parseFloat(d.score) >= lo;
      r.hidden = !ok;
      if (ok) shown++;
    });
    out.textContent = shown + " of " + rows.length + " pairs";
  }
  [q, src, kind, min].forEach(function (el) { el.addEventListener("input", filter); el.addEventListener("change", filter); });
})();
