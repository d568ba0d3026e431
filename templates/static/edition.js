/* The web edition's reading aids. The page is complete without this script (notes and the
   apparatus are listed after the text); the script adds the popover for notes, variants and
   citations, the witness switch, the side-by-side view, the variant filter and the page-break
   toggle. It fetches nothing. */
(function () {
  "use strict";
  var d = document;
  d.documentElement.classList.add("js");
  var byId = function (id) { return d.getElementById(id); };
  var all = function (sel, root) { return Array.prototype.slice.call((root || d).querySelectorAll(sel)); };
  var reading = byId("ed:reading");
  if (!reading) return;
  all("[data-js-only]").forEach(function (el) { el.hidden = false; });
  all(".reading .cite").forEach(function (el) { el.hidden = false; });

  /* Justify the text only where this browser hyphenates its language (without hyphenation a
     justified line opens rivers): a long word in a narrow box breaks onto a second line. */
  (function () {
    var probe = d.createElement("div");
    probe.lang = reading.closest("[lang]") ? reading.closest("[lang]").getAttribute("lang") : (d.documentElement.lang || "en");
    probe.style.cssText = "position:absolute;visibility:hidden;width:4em;hyphens:auto;-webkit-hyphens:auto;line-height:1;font-size:16px";
    probe.textContent = "incomprehensibilities";
    reading.appendChild(probe);
    var hyphenates = probe.offsetHeight > 20;
    reading.removeChild(probe);
    d.documentElement.classList.toggle("hyphenate", hyphenates);
  })();

  /* ---- the popover -------------------------------------------------------------------- */
  var pop = byId("ed:popover");
  var popBody = pop.querySelector(".popover-body");
  var opener = null;

  function withoutIds(node) {
    if (node.removeAttribute) node.removeAttribute("id");
    all("[id]", node).forEach(function (el) { el.removeAttribute("id"); });
    return node;
  }
  function place(anchor) {
    var r = anchor.getBoundingClientRect();
    var width = d.documentElement.clientWidth;
    pop.style.top = (r.bottom + window.scrollY + 6) + "px";
    var left = Math.min(r.left + window.scrollX, window.scrollX + width - pop.offsetWidth - 8);
    pop.style.left = Math.max(window.scrollX + 8, left) + "px";
  }
  function openPop(anchor, content, label, takeFocus) {
    popBody.replaceChildren(content);
    pop.setAttribute("aria-label", label);
    pop.hidden = false;
    place(anchor);
    opener = anchor;
    if (takeFocus) pop.querySelector(".popover-close").focus();
  }
  function closePop(returnFocus) {
    if (pop.hidden) return;
    var back = opener;
    pop.hidden = true;
    opener = null;
    if (returnFocus && back) back.focus();
  }
  var pointerInPop = false;   // a click into the popover (to select its text) must not close it
  pop.addEventListener("mousedown", function () { pointerInPop = true; setTimeout(function () { pointerInPop = false; }, 50); });
  pop.querySelector(".popover-close").addEventListener("click", function () { closePop(true); });
  d.addEventListener("keydown", function (e) { if (e.key === "Escape") closePop(true); });
  d.addEventListener("click", function (e) {
    if (!pop.hidden && !pop.contains(e.target) && e.target.closest(".noteref, .app-mark, .surplus-mark, .cite") !== opener) closePop(false);
  });

  function noteContent(ref) {
    var note = byId(decodeURIComponent(ref.getAttribute("href").slice(1)));
    var box = d.createElement("div");
    if (!note) return box;
    var body = note.querySelector(".note-body");
    var label = note.getAttribute("data-n");
    var head = d.createElement("p");
    head.className = "popover-title";
    head.textContent = "Note " + (label || "");
    box.appendChild(head);
    box.appendChild(withoutIds((body || note).cloneNode(true)));
    if (ref.classList.contains("uncertain")) {
      var warn = d.createElement("p");
      warn.className = "cert-low";
      warn.textContent = "The link of this reference to the note is uncertain.";
      box.appendChild(warn);
    }
    var go = d.createElement("a");
    go.href = ref.getAttribute("href");
    go.textContent = "Go to the note";
    box.appendChild(go);
    return box;
  }
  function entryContent(mark) {
    var entry = byId(decodeURIComponent(mark.getAttribute("href").slice(1)));
    var box = d.createElement("div");
    if (entry) {
      var copy = withoutIds(entry.cloneNode(true));
      var loc = copy.querySelector(".ae-loc");
      if (loc) loc.remove();
      var p = d.createElement("p");
      p.className = "app-entry";
      p.innerHTML = copy.innerHTML;
      box.appendChild(p);
    }
    return box;
  }
  function wire(selector, content, label) {
    all(selector, reading).forEach(function (link) {
      // a long text's page links to a note kept on another of its pages: follow the link
      if ((link.getAttribute("href") || "#").charAt(0) !== "#") return;
      link.addEventListener("click", function (e) {
        e.preventDefault();
        openPop(link, content(link), label, e.detail === 0);
      });
      link.addEventListener("focus", function () {
        if (opener !== link) openPop(link, content(link), label, false);
      });
      link.addEventListener("blur", function (e) {   // tabbing on closes what focus opened
        var next = e.relatedTarget;   // where focus goes, when the browser knows it: decide now
        if (next) {
          if (opener === link && !pointerInPop && !pop.contains(next) && next !== link) closePop(false);
          return;
        }
        setTimeout(function () {      // focus left for no element (a click on text, another window)
          if (opener === link && !pointerInPop && !pop.contains(d.activeElement) && d.activeElement !== link) closePop(false);
        }, 0);
      });
    });
  }
  function setAsideContent(mark) {
    var entry = byId(decodeURIComponent(mark.getAttribute("href").slice(1)));
    var box = d.createElement("div");
    if (!entry) return box;
    var head = d.createElement("p");
    head.className = "popover-title";
    head.textContent = "Words of the source not read";
    var copy = withoutIds(entry.cloneNode(true));
    var loc = copy.querySelector(".ae-loc");
    if (loc) loc.remove();
    var p = d.createElement("p");
    p.className = "setaside-entry";
    p.innerHTML = copy.innerHTML;
    box.appendChild(head);
    box.appendChild(p);
    return box;
  }
  wire(".noteref", noteContent, "Note");
  wire("a.surplus-mark", setAsideContent, "Words set aside");
  wire(".app-mark", entryContent, "Variant readings");

  /* ---- "cite this" for each numbered paragraph ----------------------------------------- */
  var citeData = JSON.parse((byId("ed:cite-data") || {}).textContent || "{}");
  function citations(button) {
    var passage = button.getAttribute("data-cite"), n = button.getAttribute("data-n");
    var dl = d.createElement("dl");
    Object.keys(citeData).forEach(function (style) {
      var text = citeData[style].split("{passage}").join(passage).split("{n}").join(n);
      var dt = d.createElement("dt"); dt.textContent = style;
      var dd = d.createElement("dd");
      var body = d.createElement(style === "BibTeX" ? "pre" : "span");
      body.textContent = text;
      var copy = d.createElement("button");
      copy.type = "button"; copy.className = "copy"; copy.textContent = "Copy";
      copy.setAttribute("aria-label", "Copy the " + style + " citation");
      copy.addEventListener("click", function () {
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; }, function () {});
      });
      dd.appendChild(body); dd.appendChild(copy);
      dl.appendChild(dt); dl.appendChild(dd);
    });
    var box = d.createElement("div");
    var head = d.createElement("p");
    head.className = "popover-title";
    head.textContent = "Cite paragraph " + n;
    box.appendChild(head); box.appendChild(dl);
    return box;
  }
  all(".cite", reading).forEach(function (button) {
    button.addEventListener("click", function () { openPop(button, citations(button), "Cite this paragraph", true); });
  });

  /* ---- witness switch, filter, side by side ---------------------------------------------- */
  function readingsOf(app) {
    return Array.prototype.filter.call(app.children, function (c) {
      return c.classList.contains("lem") || c.classList.contains("rdg");
    });
  }
  function choose(app, siglum) {
    var kids = readingsOf(app), pick = null;
    if (siglum) {
      pick = kids.filter(function (k) { return (k.getAttribute("data-wit") || "").split(/\s+/).indexOf(siglum) >= 0; })[0];
    }
    return pick || kids.filter(function (k) { return k.classList.contains("lem") || k.classList.contains("base"); })[0] || null;
  }
  function readAs(root, siglum) {
    all(".app", root).forEach(function (app) {
      var pick = choose(app, siglum), kids = readingsOf(app), at = kids.indexOf(pick);
      kids.forEach(function (k) { k.classList.toggle("shown", k === pick); });
      /* a reading's last space stands after the mark (the mark stays on its word): the shown one's */
      Array.prototype.forEach.call(app.children, function (c) {
        if (c.classList.contains("app-tail")) c.classList.toggle("shown", Number(c.getAttribute("data-of")) === at);
      });
    });
    root.setAttribute("data-reading", siglum || "");
    all("[data-source]", root).forEach(function (part) {   // parts only some witnesses have
      part.hidden = !!siglum && part.getAttribute("data-source").split(/\s+/).indexOf(siglum) < 0;
    });
  }
  readAs(reading, "");
  var witness = byId("ed:witness");
  if (witness) witness.addEventListener("change", function () { readAs(reading, witness.value); });

  var hiddenTypes = {};
  function applyFilter(root) {
    all(".app", root).forEach(function (app) {
      app.classList.toggle("filtered", !!hiddenTypes[app.getAttribute("data-type")]);
    });
  }
  all(".ed-filter").forEach(function (box) {
    box.addEventListener("change", function () {
      hiddenTypes[box.value] = !box.checked;
      applyFilter(reading);
      applyFilter(byId("ed:parallel"));
      all(".app-entry[data-type]").forEach(function (entry) {
        entry.hidden = !!hiddenTypes[entry.getAttribute("data-type")];
      });
    });
  });

  /* Side by side: one row per block of the text (heading, paragraph, verse, table …), the
     block as read in one witness on the left and in another on the right, so that parts only
     one witness has stand against an empty cell and the rest stays aligned. */
  var parallel = byId("ed:parallel"), toggle = byId("ed:parallel-toggle");
  var BLOCKS = "h2, h3, h4, h5, h6, .p, .div-label, .milestone, table, ul, ol, .lg, .block";
  function sigla() { return witness ? Array.prototype.slice.call(witness.options, 1).map(function (o) { return o.value; }) : []; }
  /* an option's value is the witness's id (what data-wit holds); its label the siglum it declares */
  function labelOf(value) {
    var o = witness && Array.prototype.filter.call(witness.options, function (x) { return x.value === value; })[0];
    return o ? o.textContent.replace(/^witness /, "") : value;
  }
  function blocks() {
    return all(BLOCKS, reading).filter(function (el) {
      return !el.parentElement.closest(BLOCKS) && !el.closest(".notes");
    });
  }
  function selector(which, siglum) {
    var label = d.createElement("label"), select = d.createElement("select");
    select.id = "ed:pane-" + which;
    label.htmlFor = select.id;
    label.textContent = (which === "a" ? "Left" : "Right") + ": witness ";
    sigla().forEach(function (s) {
      var o = d.createElement("option"); o.value = s; o.textContent = labelOf(s); o.selected = s === siglum; select.appendChild(o);
    });
    select.addEventListener("change", compare);
    var cell = d.createElement("div");
    cell.className = "pane-head";
    cell.appendChild(label); cell.appendChild(select);
    return cell;
  }
  /* a witness's own paratext (listed after the text) stands in its column, before or after the text */
  function paratextBlocks(place) {
    return all('.witness-paratext li[data-place="' + place + '"]').map(function (li) {
      var box = d.createElement("div");
      box.setAttribute("data-source", li.getAttribute("data-source") || "");
      var label = d.createElement("p"), words = d.createElement("p");
      label.className = "div-label";
      label.textContent = li.getAttribute("data-kind") || "";
      words.className = "p paratext";
      words.textContent = (li.querySelector(".paratext-words") || li).textContent;
      box.appendChild(label); box.appendChild(words);
      return box;
    });
  }
  function build() {
    var s = sigla();
    var head = d.createElement("div");
    head.className = "row head-row";
    head.appendChild(selector("a", s[0]));
    head.appendChild(selector("b", s[1] || s[0]));
    parallel.appendChild(head);
    paratextBlocks("front").concat(blocks(), paratextBlocks("back")).forEach(function (block) {
      var row = d.createElement("div");
      row.className = "row";
      for (var i = 0; i < 2; i++) {
        var cell = d.createElement("div");
        cell.className = "pane-text";
        var part = block.closest("[data-source]");
        cell.setAttribute("data-source", part ? part.getAttribute("data-source") : "");
        cell.appendChild(withoutIds(block.cloneNode(true)));
        row.appendChild(cell);
      }
      parallel.appendChild(row);
    });
  }
  function compare() {
    var a = byId("ed:pane-a").value, b = byId("ed:pane-b").value;
    all(".row:not(.head-row)", parallel).forEach(function (row) {
      var cells = row.children;
      [a, b].forEach(function (siglum, i) {
        var source = cells[i].getAttribute("data-source");
        cells[i].classList.toggle("absent", !!source && source.split(/\s+/).indexOf(siglum) < 0);
        readAs(cells[i], siglum);
      });
      var left = all(".app", cells[0]), right = all(".app", cells[1]);
      left.forEach(function (app, k) {
        var x = app.querySelector(":scope > .shown"), y = right[k].querySelector(":scope > .shown");
        var differ = (x ? x.textContent : "") !== (y ? y.textContent : "");
        app.classList.toggle("diff", differ);
        right[k].classList.toggle("diff", differ);
      });
    });
    applyFilter(parallel);
  }
  if (toggle && parallel) {
    toggle.addEventListener("click", function () {
      var on = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      if (on && !parallel.children.length) {
        build();
        compare();
      }
      parallel.hidden = !on;
      reading.hidden = on;
    });
  }

  var pb = byId("ed:pb-toggle");
  if (pb) pb.addEventListener("change", function () { d.body.classList.toggle("hide-pb", !pb.checked); });
})();
