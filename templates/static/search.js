/* The search page: queries the Pagefind index built with the edition (no server code).
   Pagefind loads its index with fetch(), so the folder must be served over HTTP. */
import { openIndex } from "./search-index.js";

const form = document.getElementById("ed:search-form");
const input = document.getElementById("ed:q");
const status = document.getElementById("ed:search-status");
const list = document.getElementById("ed:results");
let pagefind = null;


async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  if (!pagefind) {
    try {
      pagefind = await openIndex();
    } catch (err) {
      status.textContent = "The search index could not be loaded. Serve this folder over HTTP (for example: python -m http.server) and reload.";
      return;
    }
  }
  const found = await pagefind.search(query);
  const pages = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
  status.textContent = `${found.results.length} text${found.results.length === 1 ? "" : "s"} found for “${query}”.`;
  for (const page of pages) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = page.url;  // Pagefind resolves it against the folder it was loaded from
    link.textContent = page.meta.title || page.url;
    const excerpt = document.createElement("p");
    excerpt.innerHTML = page.excerpt;  // Pagefind's excerpt: escaped text with <mark> around hits
    item.append(link, excerpt);
    const subs = (page.sub_results || []).filter((s) => s.url !== page.url).slice(0, 5);
    if (subs.length) {
      const sub = document.createElement("ul");
      for (const s of subs) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = s.url;
        a.textContent = s.title;
        const p = document.createElement("span");
        p.innerHTML = " — " + s.excerpt;
        li.append(a, p);
        sub.append(li);
      }
      item.append(sub);
    }
    list.append(item);
  }
}

form.addEventListener("submit", (e) => { e.preventDefault(); run(input.value); });
const initial = new URLSearchParams(location.search).get("q");
if (initial) { input.value = initial; run(initial); }
