// Minutebook search: Pagefind's JavaScript API with an accessible, plain-HTML results list.
// The form works without JavaScript (it submits to this page); this script reads the query
// from the address, fills in the filters, and shows each page found (a meeting, an action, a
// work programme, a person) with the sections of it that matched, each linked to its anchor.

const script = document.currentScript || document.querySelector("script[data-pagefind]");
const PAGEFIND_URL = script.dataset.pagefind;
const PAGE_SIZE = 10;
const TYPE_NAMES = {
  meeting: "Meeting",
  action: "Action",
  "work programme": "Work programme",
  person: "Person",
};
// A meeting's agenda items, minutes and resolutions are sections of its result: the best few show.
const SECTIONS_SHOWN = 3;
const STATUS_NAMES = {
  open: "Open",
  overdue: "Overdue",
  done: "Done",
  draft: "Draft minutes",
  approved: "Approved minutes",
};
const MINUTE_NUMBER = /^\s*(?:minutes?\s+)?(\d{1,4})\s*\/\s*(\d{2})\s*$/i;

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const selects = {
  type: document.getElementById("filter-type"),
  body: document.getElementById("filter-body"),
  year: document.getElementById("filter-year"),
};
const sortSelect = document.getElementById("filter-sort");

const BY_DATE = { date: "desc" };

let pagefind;
// The parts of the index, newest years first: [{path, years}] (see minutebook.index.SearchPart).
let indexParts = [];
let shown = 0;
let results = { items: [], extend: null, count: 0 };
// Each search gets a number; an older search still running when a newer one starts stops
// at its next step, so its results never mix with the newer ones.
let generation = 0;

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const [name, select] of Object.entries(selects)) select.dataset.wanted = params.get(name) || "";
  // The site's own addresses write years as 2018-19; the filter's values are 2018/19.
  selects.year.dataset.wanted = selects.year.dataset.wanted.replace(/^(\d{4})-(\d{2})$/, "$1/$2");
  sortSelect.value = params.get("sort") === "newest" ? "newest" : "";
}

function writeAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const [name, select] of Object.entries(selects)) if (select.value) params.set(name, select.value);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

function chooseFilters() {
  // The choices are written into the page when the site is built: select the ones in the address.
  for (const select of Object.values(selects)) {
    const values = [...select.options].map((option) => option.value);
    if (values.includes(select.dataset.wanted)) select.value = select.dataset.wanted;
  }
}

function chosenFilters() {
  const filters = {};
  for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
  return filters;
}

async function runSearch() {
  const current = ++generation;
  const term = input.value.trim();
  list.replaceChildren();
  more.replaceChildren();
  shown = 0;
  if (!term) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Searching…";
  const filters = chosenFilters();
  const newest = sortSelect.value === "newest";
  const minute = term.match(MINUTE_NUMBER);
  let found = [];
  if (minute) {
    // Pagefind splits "39/18" into two words; each minute is also indexed as one word for its number,
    // so this finds the meetings holding a minute 39/18, with that minute as their section. The
    // quoted search says which pages hold the word itself (unquoted, Pagefind also offers words that
    // merely start alike, and an index part without the minute would rank those above the minute in
    // another part); the unquoted search's results are shown, as they list every section holding
    // the word (the minute and its resolutions).
    const token = `minuteno${Number(minute[1])}x${minute[2]}`;
    const exact = await findInOrder(`"${token}"`, filters, newest);
    while (exact.extend) await exact.extend();
    const loose = new Map((await pagefind.search(token, { filters })).results.map((r) => [r.id, r]));
    if (current !== generation) return;
    found = exact.results.map((r) => loose.get(r.id) || r);
  }
  const words = await findInOrder(term, filters, newest);
  if (current !== generation) return;
  const first = new Set(found.map((r) => r.id));
  const count = found.length + words.all.filter((r) => !first.has(r.id)).length;
  results = {
    // The minute's own meetings first, then the rest without them.
    get items() {
      return found.concat(words.results.filter((r) => !first.has(r.id)));
    },
    get extend() {
      return words.extend;
    },
    count,
  };
  statusLine.textContent = count === 0
    ? `No results for “${term}”.`
    : `${count} result${count === 1 ? "" : "s"} for “${term}”.`;
  await showMore(current);
}

// The results of a query in the order asked for: {results, all, extend}, where `extend`, while not
// null, fetches the next results into `results` and `all` holds every result in best-match order.
// Best match, or a one-part index: Pagefind's own order. Newest first over several parts: Pagefind
// sorts each part by date but orders merged parts' results by score, which under a sort is a rank
// within each part, so the parts would interleave. Every municipal year is in one part, so the
// years are asked one by one, newest first, as the list needs them; pages without a date (people)
// come after the dated ones.
async function findInOrder(term, filters, newest) {
  const all = (await pagefind.search(term, { filters })).results;
  if (!newest) return { results: all, all, extend: null };
  if (indexParts.length <= 1) {
    const dated = (await pagefind.search(term, { filters, sort: BY_DATE })).results;
    return { results: undatedLast(dated, all), all, extend: null };
  }
  const years = filters.year ? [filters.year] : indexParts.flatMap((part) => part.years);
  const found = { results: [], all, extend: null };
  found.extend = async () => {
    const year = years.shift();
    if (year === undefined) {
      found.results = undatedLast(found.results, all);
      found.extend = null;
      return;
    }
    const inYear = await pagefind.search(term, { filters: { ...filters, year }, sort: BY_DATE });
    found.results = found.results.concat(inYear.results);
  };
  return found;
}

// Sorting by date leaves out pages without one (people): list them after the dated ones.
function undatedLast(dated, all) {
  const listed = new Set(dated.map((r) => r.id));
  return dated.concat(all.filter((r) => !listed.has(r.id)));
}

async function showMore(current = generation) {
  while (results.items.length < shown + PAGE_SIZE && results.extend) {
    await results.extend();
    if (current !== generation) return;
  }
  const batch = results.items.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (current !== generation) return;
  for (const item of data) list.append(renderResult(item));
  shown += batch.length;
  more.replaceChildren();
  if (shown < results.count) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Show ${Math.min(PAGE_SIZE, results.count - shown)} more results`;
    button.addEventListener("click", async () => {
      const firstNew = shown;
      await showMore();
      list.children[firstNew]?.querySelector("a")?.focus();
    });
    more.append(button);
  }
}

function renderResult(item) {
  const meta = item.meta || {};
  const li = document.createElement("li");
  li.className = "search-result";
  const kind = document.createElement("p");
  kind.className = "register-meta";
  const parts = [TYPE_NAMES[meta.type] || meta.type || "Page"];
  if (meta.body) parts.push(meta.body);
  if (meta.date) parts.push(formatDate(meta.date));
  kind.textContent = parts.join(" · ");
  if (meta.status) {
    const tag = document.createElement("strong");
    tag.className = `tag tag-${meta.status.split(" ")[0]}`;
    tag.textContent = STATUS_NAMES[meta.status] || meta.status;
    kind.append(" ", tag);
  }
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  const address = addressOf(item);
  link.href = address;
  link.textContent = meta.title || address;
  heading.append(link);
  li.append(heading, kind);
  const sections = matchedSections(item);
  if (sections.length) li.append(sectionList(sections, address));
  else li.append(excerptOf(item.excerpt));
  return li;
}

// A document's address on the site is in its metadata: Pagefind read it from a numbered file,
// so its own `url` is that file's.
function addressOf(item) {
  return item.meta.url;
}

// The sections (headings with an id) that matched, best first.
function matchedSections(item) {
  const score = (section) => (section.weighted_locations || []).reduce((sum, w) => sum + w.balanced_score, 0);
  return (item.sub_results || [])
    .filter((section) => section.url.includes("#"))
    .sort((a, b) => score(b) - score(a));
}

function sectionList(sections, address) {
  const list = document.createElement("ul");
  list.className = "search-sections";
  for (const section of sections.slice(0, SECTIONS_SHOWN)) {
    const entry = document.createElement("li");
    entry.className = "search-section";
    const link = document.createElement("a");
    link.href = `${address}#${section.url.split("#")[1]}`;
    link.textContent = section.title;
    entry.append(link, excerptOf(section.excerpt));
    list.append(entry);
  }
  const rest = sections.length - SECTIONS_SHOWN;
  if (rest > 0) {
    const note = document.createElement("li");
    note.className = "search-section-more";
    note.textContent = `and ${rest} more matching part${rest === 1 ? "" : "s"} of this page`;
    list.append(note);
  }
  return list;
}

function excerptOf(html) {
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  // The word that indexes a minute's number is for finding, not for reading.
  excerpt.append(...highlighted((html || "").replace(/\s*(<mark>)?minuteno\d+x\d{2}(<\/mark>)?/g, "")));
  return excerpt;
}

// Pagefind returns its excerpt as HTML with <mark> around matches; rebuild it as nodes so
// nothing but the marks can ever become markup.
function highlighted(excerpt) {
  const nodes = [];
  const pieces = excerpt.split(/(<mark>|<\/mark>)/);
  let marking = false;
  for (const piece of pieces) {
    if (piece === "<mark>") marking = true;
    else if (piece === "</mark>") marking = false;
    else if (piece) {
      const text = document.createTextNode(decodeEntities(piece));
      if (marking) {
        const mark = document.createElement("mark");
        mark.append(text);
        nodes.push(mark);
      } else nodes.push(text);
    }
  }
  return nodes;
}

function decodeEntities(text) {
  const area = document.createElement("textarea");
  area.innerHTML = text;
  return area.value;
}

function formatDate(iso) {
  const day = new Date(`${iso}T12:00:00`);
  return day.toLocaleDateString(document.documentElement.lang || "en-GB", {
    day: "numeric", month: "long", year: "numeric",
  });
}

// Record addresses already start with the base path (/minutebook/…); without baseUrl "/"
// Pagefind would put the base path in front of them a second time.
// Minutes are longer than the actions and resolutions they hold: do not let length bury them.
const PAGEFIND_OPTIONS = { baseUrl: "/", excerptLength: 30, ranking: { pageLength: 0.2 } };

// The index's parts (parts.json, written beside pagefind.js); an index without it is one part.
async function partsOf(listing) {
  try {
    const response = await listing;
    if (response?.ok) return (await response.json()).parts;
  } catch (error) {
    // a listing that cannot be read: search the first part alone
  }
  return [];
}

async function start() {
  readAddress();
  try {
    const listing = fetch(new URL("parts.json", new URL(PAGEFIND_URL, window.location.href))).catch(() => null);
    pagefind = await import(PAGEFIND_URL);
    await pagefind.options(PAGEFIND_OPTIONS);
    indexParts = await partsOf(listing);
    // A part merged in reuses the first part's engine: it costs its entry and metadata files. The
    // parts load side by side (one after another, ten parts took a quarter of a second even from
    // this computer); Pagefind lists them in the order they are asked for.
    await Promise.all(indexParts.slice(1).map((part) => pagefind.mergeIndex(part.path, PAGEFIND_OPTIONS)));
    chooseFilters();
  } catch (error) {
    statusLine.textContent = "Search is not available right now. Browse the decisions register or the meetings instead.";
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    writeAddress();
    runSearch();
  });
  for (const select of [...Object.values(selects), sortSelect]) {
    select.addEventListener("change", () => {
      writeAddress();
      runSearch();
    });
  }
  await runSearch();
}

start();
