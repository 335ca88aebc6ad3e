import { authHeaders, readProblem } from "./access.js";
import { $, formatPages, h, languageName, setStatus, shortTitle } from "./dom.js";
import { state } from "./state.js";
import { t } from "./strings.js";

// The passage panel: a cited passage with its quote highlighted, and its neighbours.
export function openCitation(citation, model, trigger) {
  const preview = (model.final?.passages || []).find((p) => p.chunk_id === citation.chunk_id) || {
    chunk_id: citation.chunk_id, doc_id: citation.doc_id, title: citation.title, section: citation.section,
    page_start: citation.page_start, page_end: citation.page_end, text: citation.quote,
  };
  openPassage({
    passage: preview, quote: citation.quote, kind: "cited", trigger,
    translation: citation.quote_translation || null,
    translationLang: citation.translation_lang || citation.quote_lang || model.final?.answer_lang || model.final?.lang || null,
  });
}

export function openPassage({ passage, quote, kind, trigger, translation = null, translationLang = null }) {
  const panel = state.panel;
  panel.trigger = trigger || document.activeElement;
  panel.cited = { chunkId: passage.chunk_id, passage, quote, kind, translation, translationLang };
  const el = $("panel");
  el.hidden = false;
  document.body.classList.add("panel-open");
  showPassage(passage);
  loadContext(passage.chunk_id);
  el.focus();
}

export function closePanel() {
  const el = $("panel");
  if (el.hidden) return;
  el.hidden = true;
  document.body.classList.remove("panel-open");
  state.panel.token += 1;
  const back = state.panel.trigger;
  if (back && document.contains(back)) back.focus();
  else $("question").focus();
}

function showPassage(passage) {
  const panel = state.panel;
  const cited = panel.cited;
  const isCited = passage.chunk_id === cited.chunkId;
  panel.currentId = passage.chunk_id;
  $("panel-title").textContent = isCited && cited.kind === "cited" ? t("panelTitle") : shortTitle(passage.title);
  $("panel-doc").textContent = passage.title;
  $("panel-section").textContent = passage.section || t("noSection");
  $("panel-pages").textContent = formatPages(passage.page_start, passage.page_end);
  $("panel-position").textContent = !isCited ? t("neighbourPosition") :
    cited.kind === "cited" ? t("citedPosition") : t("nearestPosition");
  $("panel-back").hidden = isCited;
  $("panel-error").hidden = true;

  const showTranslation = isCited && cited.translation;
  $("panel-translation").hidden = !showTranslation;
  if (showTranslation) {
    $("panel-quote-original").textContent = cited.quote;
    $("panel-quote-translation").textContent = cited.translation;
    $("panel-translation-label").textContent = cited.translationLang
      ? t("translationIn", { lang: languageName(cited.translationLang) }) : t("translation");
    if (cited.translationLang) $("panel-quote-translation").setAttribute("lang", cited.translationLang);
  }

  const text = $("panel-text");
  text.replaceChildren(highlighted(passage.text, isCited ? cited.quote : null));
  const mark = text.querySelector("mark");
  document.querySelector(".panel-body").scrollTop = 0;
  if (mark) mark.scrollIntoView({ block: "nearest" });
  updateNav();
}

function highlighted(text, quote) {
  const frag = document.createDocumentFragment();
  let start = -1;
  let end = -1;
  if (quote) {
    start = text.indexOf(quote);
    if (start >= 0) end = start + quote.length;
    else {
      const words = quote.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      const m = words.length ? new RegExp(words.join("\\s+")).exec(text) : null;
      if (m) { start = m.index; end = m.index + m[0].length; }
    }
  }
  if (start < 0) {
    frag.append(text);
    return frag;
  }
  frag.append(text.slice(0, start), h("mark", {}, text.slice(start, end)), text.slice(end));
  return frag;
}

async function loadContext(chunkId) {
  const panel = state.panel;
  const token = ++panel.token;
  panel.context = null;
  updateNav();
  try {
    const res = await fetch(`/api/passages/${encodeURIComponent(chunkId)}?neighbours=1`, { headers: authHeaders() });
    if (!res.ok) throw new Error((await readProblem(res)).detail);
    const context = await res.json();
    if (token !== panel.token) return;
    panel.context = context;
    if (context.passage.chunk_id !== panel.currentId) showPassage(context.passage);
    updateNav();
  } catch (err) {
    if (token !== panel.token) return;
    const detail = err instanceof TypeError ? t("unreachableTitle") : err.message;
    $("panel-error").textContent = t("passageFailed", { detail });
    $("panel-error").hidden = false;
  }
}

function updateNav() {
  const context = state.panel.context;
  $("panel-prev").disabled = !context || !context.before.length;
  $("panel-next").disabled = !context || !context.after.length;
}

export function goNeighbour(direction) {
  const context = state.panel.context;
  if (!context) return;
  const next = direction < 0 ? context.before[context.before.length - 1] : context.after[0];
  if (!next) return;
  showPassage(next);
  setStatus(`${t("neighbourPosition")} ${formatPages(next.page_start, next.page_end)}`);
  loadContext(next.chunk_id);
}

export function backToCited() {
  const cited = state.panel.cited;
  showPassage(cited.passage);
  loadContext(cited.chunkId);
  $("panel-prev").focus();
}
