/* The edition's search, as one Pagefind index would answer it, over an index in shards.

   The build (edition/render/search.py) may deal the pages into shards, each a Pagefind index
   of its own, so that a changed text re-indexes one shard; pagefind/shards.json lists them.
   Pagefind merges indexes (mergeIndex), but each index matches a word by its own words: the
   words that begin with it, else the longest word it begins with, so a shard without the
   first kind falls back on the second, where one index of all the pages would not. So the
   build also indexes the shards' words (a page a shard: "words/"), and a search asks it
   first: the shards it finds are those holding, for every word asked, a word one index would
   match; only they are searched, each then matching as one index would. */
export const EXCERPT_WORDS = 24;
const EXACT = /^\s*".+"\s*$/;   // a phrase in quotes: Pagefind matches its words exactly

let opened = null;

/* The index, opened once a page (a second mergeIndex of a shard would find its pages twice). */
export function openIndex() {
  opened = opened || load().catch((err) => { opened = null; throw err; });
  return opened;
}

async function load() {
  const base = new URL("../pagefind/", import.meta.url);
  const pagefind = await import(new URL("pagefind.js", base).href);
  const listed = await fetch(new URL("shards.json", base), { cache: "no-cache" });
  const shards = listed.ok ? await listed.json() : { first: "0", merge: {}, words: null };
  if (!shards.words) {
    await pagefind.options({ excerptLength: EXCERPT_WORDS });
    return { search: (query) => pagefind.search(query) };
  }
  await pagefind.options({ excerptLength: EXCERPT_WORDS, mergeFilter: { index: shards.first } });
  const merged = Object.entries(shards.merge).map(([name, folder]) =>
    pagefind.mergeIndex(new URL(folder, base).pathname, { excerptLength: EXCERPT_WORDS, mergeFilter: { index: name } }));
  merged.push(pagefind.mergeIndex(new URL(shards.words, base).pathname, { mergeFilter: { index: "words" } }));
  await Promise.all(merged);
  return {
    async search(query) {
      let names = [shards.first, ...Object.keys(shards.merge)];
      if (!EXACT.test(query)) {
        const words = await pagefind.search(query, { filters: { index: "words" } });
        names = [...new Set(words.results.map((page) => shards.pages[page.id]))];
        if (!names.length) return { results: [] };
      }
      return pagefind.search(query, { filters: { index: { any: names } } });
    },
  };
}
