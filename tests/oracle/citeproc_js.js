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

function engineFor(item) {
  const sys = {
    retrieveLocale: () => localeXml,
    retrieveItem: (id) => (id === item.id ? item : null),
  };
  const engine = new CSL.Engine(sys, styleXml, "en-US");
  engine.setOutputFormat("text");
  return engine;
}

const out = input.jobs.map((job) => {
  // the reference entry, with an engine of its own (as edition makes it)
  const listing = engineFor(job.item);
  listing.updateItems([job.item.id]);
  const bib = listing.makeBibliography();
  const reference = bib ? bib[1].join("") : "";
  const citing = engineFor(job.item);
  const cite = { id: job.item.id };
  if (job.locator) {
    cite.label = job.locator[0];
    cite.locator = job.locator[1];
  }
  const result = citing.processCitationCluster(
    { citationItems: [cite], properties: { noteIndex: 1 } }, [], []);
  const citation = result[1].length ? result[1][0][1] : "";
  return { reference: reference.replace(/\s+/g, " ").trim(), citation: citation.replace(/\s+/g, " ").trim() };
});
process.stdout.write(JSON.stringify(out));
