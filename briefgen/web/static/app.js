// briefgen serve: source highlighting for the review page. No inline script anywhere:
// the Content-Security-Policy forbids it; this file is the page's only own script.
(function () {
  "use strict";

  function segments() {
    return document.querySelectorAll("#article .seg");
  }

  function fieldsOf(seg) {
    return (seg.dataset.fields || "").split(" ").filter(Boolean);
  }

  function record(path) {
    return document.querySelector('.rec[data-field="' + CSS.escape(path) + '"]');
  }

  function say(nodes) {
    var feeds = document.getElementById("feeds");
    if (!feeds) return;
    feeds.textContent = "";
    nodes.forEach(function (node) {
      feeds.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
    });
  }

  // Highlight the source span of the field at `path` in the article and scroll to it.
  function highlight(path) {
    document.querySelectorAll(".seg.hl").forEach(function (s) { s.classList.remove("hl"); });
    document.querySelectorAll(".rec.selected").forEach(function (r) { r.classList.remove("selected"); });
    var rec = record(path);
    if (rec) rec.classList.add("selected");
    var first = null;
    segments().forEach(function (seg) {
      if (fieldsOf(seg).indexOf(path) >= 0) {
        seg.classList.add("hl");
        if (!first) first = seg;
      }
    });
    var name = rec ? rec.dataset.label : path;
    if (first) {
      first.scrollIntoView({ block: "center" });
      say(["Source of " + name + ": highlighted in the readout."]);
    } else {
      say(["No source span recorded for " + name + "."]);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("a[data-goto]");
    if (link) {
      var rec = record(link.dataset.goto);
      if (rec) {
        event.preventDefault();
        rec.scrollIntoView({ block: "center" });
        rec.focus({ preventScroll: true });
        highlight(link.dataset.goto);
      }
      return;
    }
    if (target.closest("form, summary, button, a, textarea, select, input, label")) return;
    var found = target.closest(".rec[data-field]");
    if (found) highlight(found.dataset.field);
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element && target.matches(".rec[data-field]")) {
      event.preventDefault();
      highlight(target.dataset.field);
    }
  });

  // Selecting text in the article says which fields of the brief it feeds.
  function selectionChanged() {
    var article = document.getElementById("article");
    var selection = window.getSelection();
    if (!article || !selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) return;
    var seen = [];
    segments().forEach(function (seg) {
      if (range.intersectsNode(seg)) {
        fieldsOf(seg).forEach(function (f) { if (seen.indexOf(f) < 0) seen.push(f); });
      }
    });
    if (seen.length === 0) {
      say(["This text feeds no field of the brief."]);
      return;
    }
    var nodes = ["Feeds: "];
    seen.forEach(function (path) {
      var rec = record(path);
      var a = document.createElement("a");
      a.href = "#f-" + path;
      a.dataset.goto = path;
      a.className = "feed";
      a.textContent = rec ? rec.dataset.label : path;
      nodes.push(a);
    });
    say(nodes);
  }

  document.addEventListener("mouseup", function () { window.setTimeout(selectionChanged, 0); });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) selectionChanged();
  });
  // After an in-place edit (htmx swaps #brief), keep the edited field where it was on the
  // screen and give the keyboard focus back near it.
  var anchor = null;

  function visible(el) {
    return el && el.getClientRects().length > 0 && el.offsetParent !== null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!(elt instanceof Element)) return;
    var ids = [];
    elt.querySelectorAll("[id]").forEach(function (el) { ids.push(el.id); });
    for (var node = elt; node && node !== document.body; node = node.parentElement) {
      if (node.id) ids.push(node.id);
    }
    var rec = elt.closest(".rec[data-field]");
    var first = ids.map(function (id) { return document.getElementById(id); }).filter(visible)[0];
    anchor = {
      ids: ids,
      field: rec ? rec.dataset.field : null,
      top: first ? first.getBoundingClientRect().top : null,
    };
  });

  document.addEventListener("htmx:beforeSwap", function () {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!anchor) return;
    var saved = anchor;
    anchor = null;
    var target = saved.ids.map(function (id) { return document.getElementById(id); }).filter(visible)[0];
    if (target && saved.top !== null) {
      window.scrollBy(0, target.getBoundingClientRect().top - saved.top);
    }
    var rec = saved.field ? record(saved.field) : null;
    if (rec) rec.focus({ preventScroll: true });
  });
})();
