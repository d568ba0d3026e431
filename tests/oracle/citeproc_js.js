// The test oracle for citations: citeproc-js (the engine Zotero uses) formats CSL-JSON items
// with the same CSL style files and locale as edition's citeproc-py.
// stdin: {"style": path, "locale": path, "jobs": [{"item": {...}, "locator": [label, value] | null}]}
// stdout: [{"reference": "...", "citation": "..."}] in plain text, one per job.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const styleXml = fs.readFileSync(input.style, "utf8");
const localeXml = fs.readFileSync(input.locale, "utf8");

// One engine per style (parsing a style takes seconds); the registry holds one item at a time,
// so that nothing is disambiguated against another item, as edition cites one item at a time.
const items = {};
const engine = new CSL.Engine({
  retrieveLocale: () => localeXml,
  retrieveItem: (id) => items[id],
}, styleXml, "en-US");
engine.setOutputFormat("text");

const tidy = (text) => text.replace(/\s+/g, " ").trim();
const out = input.jobs.map((job) => {
  items[job.item.id] = job.item;
  engine.updateItems([job.item.id]);
  const bib = engine.makeBibliography();
  const reference = bib ? bib[1].join("") : "";
  const cite = { id: job.item.id };
  if (job.locator) {
    cite.label = job.locator[0];
    cite.locator = job.locator[1];
  }
  const citation = engine.makeCitationCluster([cite]);
  return { reference: tidy(reference), citation: tidy(citation) };
});
process.stdout.write(JSON.stringify(out));
