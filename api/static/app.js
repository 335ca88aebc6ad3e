// Haven web chat: plain JavaScript, no build step, nothing loaded from the web.
"use strict";

// Every string the page shows. Translate by adding STRINGS.xx with the same keys.
const STRINGS = {
  en: {
    skipToQuestion: "Skip to the question box",
    tagline: "Answers from five anti-trafficking handbooks, with the passage behind every point.",
    aboutButton: "About these handbooks",
    newConversation: "New conversation",
    languageLabel: "Answer language",
    languages: {
      "": "Auto-detect", en: "English", es: "Español", fr: "Français", ru: "Русский",
      id: "Bahasa Indonesia", vi: "Tiếng Việt", th: "ไทย",
    },
    filterLabel: "Handbooks",
    filterLegend: "Search only these handbooks",
    filterAll: "All",
    filterNone: "None",
    filterCountAll: "(all {total})",
    filterCountSome: "({count} of {total})",
    loadingHandbooks: "Loading the list of handbooks…",
    handbooksUnavailable: "The list of handbooks is not available: {detail}",
    chooseHandbook: "Choose at least one handbook under “Handbooks”, then ask again.",
    conversationTitle: "Conversation",
    welcome: "Ask a question about identifying, protecting or referring a person who may have been trafficked. Every answer cites the handbook, section and page it comes from.",
    examples: [
      "I found a 15-year-old hidden in a truck — what do I do first?",
      "How should I interview a child who may be a victim?",
      "What is a National Referral Mechanism?",
    ],
    questionLabel: "Your question",
    questionHint: "Enter sends · Shift+Enter starts a new line.",
    privacyHint: "Do not type names or other details that identify a person.",
    send: "Send",
    you: "You",
    haven: "Haven",
    searching: "Searching the handbooks…",
    answerReady: "Answer ready.",
    notCoveredTitle: "Not covered by the handbooks",
    notCoveredStatus: "The handbooks do not cover this question.",
    nearestSections: "The nearest sections (they may help, but do not answer the question):",
    noNearest: "No related sections were found.",
    answerLanguage: "Answer language: {lang}",
    keepInMind: "Keep in mind",
    sources: "Sources",
    citeLabel: "Source {n}: {title}, {pages}",
    pendingCite: "Source {n}",
    unreachableTitle: "Cannot reach Haven",
    unreachableDetail: "The server did not respond. Check that Haven is still running on this computer (make run), then try again.",
    errorTitle: "Something went wrong",
    cutOffDetail: "The answer was cut off before it finished. Try again.",
    retry: "Try again",
    copy: "Copy answer",
    copied: "Answer and sources copied.",
    copyFailed: "Could not copy. Select the text and copy it by hand.",
    print: "Print",
    helpfulQuestion: "Was this answer helpful?",
    helpful: "Helpful",
    notHelpful: "Not helpful",
    commentLabel: "Comment (optional)",
    includeQuestion: "Include my question with the feedback",
    includeQuestionHint: "Left unticked, your question is not stored.",
    sendFeedback: "Send feedback",
    feedbackThanks: "Thank you — your feedback was saved.",
    feedbackFailed: "Feedback was not saved: {detail}",
    panelTitle: "Cited passage",
    close: "Close",
    section: "Section",
    pages: "Page",
    noSection: "(no section heading)",
    noPages: "No page numbers — this handbook is cited by section",
    page: "p. {n}",
    pageRange: "pp. {start}–{end}",
    citedPosition: "The passage cited in the answer; the quoted words are highlighted.",
    neighbourPosition: "A neighbouring passage in the same handbook (not cited).",
    nearestPosition: "A passage near the question (not an answer).",
    original: "Original",
    translation: "Translation",
    translationIn: "Translation ({lang})",
    previousPassage: "← Previous passage",
    nextPassage: "Next passage →",
    backToCited: "Back to the cited passage",
    loadingPassage: "Loading the passage…",
    passageFailed: "Could not load the passage: {detail}",
    aboutTitle: "About these handbooks",
    aboutIntro: "Haven answers only from these handbooks. It quotes them; it does not add facts of its own.",
    publisher: "Publisher",
    year: "Year",
    pageNumbers: "Page numbers",
    pagesYes: "cited by page",
    pagesNo: "cited by section only",
    passagesCount: "{n} passages",
    unknown: "not stated",
    conversationCleared: "New conversation started.",
    copyQuestion: "Question",
    copyNotes: "Keep in mind:",
    copySources: "Sources:",
    footer: "Guidance drawn from the handbooks, not legal advice. Follow your national law and procedures, and ask a specialist when in doubt.",
    keyLabel: "API key",
    keyStateSet: "(entered)",
    keyStateUnset: "(none)",
    keyInputLabel: "Your API key",
    keyRemember: "Remember on this computer",
    keyHint: "Trainers need a key to draft, edit or delete quizzes; some servers need one for everything. An administrator creates keys with “haven keys create NAME”. The key stays in this browser, for this tab only unless you tick “Remember”.",
    keySave: "Use this key",
    keyForget: "Forget key",
    keySaved: "Key saved for this tab.",
    keySavedRemembered: "Key saved on this computer.",
    keyForgotten: "Key forgotten.",
    keyEmpty: "Paste your key first.",
    keyNeededTitle: "API key needed",
    keyNeeded: "This needs an API key. Enter your key under “API key” at the top of the page, then try again.",
    keyRejected: "The API key was not accepted. Check it under “API key” at the top of the page, or ask your administrator for a new one.",
    keyRevoked: "This API key has been revoked. Ask your administrator for a new one and enter it under “API key” at the top of the page.",
    rateLimitedTitle: "Too many requests",
    rateLimited: "Too many requests: wait {seconds} seconds, then try again.",
  },
};
const T = STRINGS.en;
const MAX_HISTORY_TURNS = 20; // messages sent back for follow-ups (the API accepts 50)
const MAX_TURN_CHARS = 20000;

function t(key, vars) {
  let s = T[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

// ---------- small DOM helpers ----------
const $ = (id) => document.getElementById(id);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function applyStrings() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria-label]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  for (const el of document.querySelectorAll("[data-i18n-title]"))
    el.setAttribute("title", t(el.dataset.i18nTitle));
}

function setStatus(text) {
  const status = $("status");
  status.textContent = "";
  // A fresh node, so screen readers announce the same message twice in a row.
  window.setTimeout(() => { status.textContent = text; }, 30);
}

function formatPages(start, end) {
  if (start === null || start === undefined) return t("noPages");
  if (end === null || end === undefined || end === start) return t("page", { n: start });
  return t("pageRange", { start, end });
}

function shortTitle(title) {
  const cut = title.split(/[:.(]/)[0].trim();
  return cut.length >= 12 ? cut : title;
}

function languageName(code) {
  const names = T.languages;
  const base = String(code || "").toLowerCase().split(/[-_]/)[0];
  return names[code] || names[base] || code;
}

// ---------- the API key: kept in this browser, sent as a bearer token ----------
const KEY_STORAGE = "haven.apiKey";

function storages() {
  // Either may be unavailable (private windows, strict settings): then the key is not kept.
  const found = [];
  for (const name of ["sessionStorage", "localStorage"]) {
    try { if (window[name]) found.push(window[name]); } catch { /* blocked */ }
  }
  return found;
}

function apiKey() {
  for (const store of storages()) {
    const key = store.getItem(KEY_STORAGE);
    if (key) return key;
  }
  return "";
}

function storeApiKey(key, remember) {
  for (const store of storages()) store.removeItem(KEY_STORAGE);
  if (!key) return;
  const [session, local] = [window.sessionStorage, window.localStorage];
  (remember ? local : session).setItem(KEY_STORAGE, key);
}

function keyRemembered() {
  try { return Boolean(window.localStorage.getItem(KEY_STORAGE)); } catch { return false; }
}

function authHeaders(headers = {}) {
  const key = apiKey();
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

function showKeyState(wanted = false) {
  const set = Boolean(apiKey());
  $("key-state").textContent = t(set ? "keyStateSet" : "keyStateUnset");
  $("key-box").classList.toggle("key-set", set);
  $("key-box").classList.toggle("key-wanted", wanted);
}

function wantKey() {
  showKeyState(true);
  $("key-box").open = true;
}

function saveKey(e) {
  e.preventDefault();
  const key = $("key-input").value.trim().replace(/^Bearer\s+/i, "");
  if (!key) { $("key-message").textContent = t("keyEmpty"); return; }
  const remember = $("key-remember").checked;
  try {
    storeApiKey(key, remember);
  } catch { /* storage refused: the key is not kept */ }
  $("key-input").value = "";
  showKeyState();
  $("key-message").textContent = t(remember ? "keySavedRemembered" : "keySaved");
  if (!state.documentsLoaded) loadDocuments();
}

function forgetKey() {
  storeApiKey("", false);
  $("key-input").value = "";
  showKeyState();
  $("key-message").textContent = t("keyForgotten");
}

// Problems about the key or the rate limit, in words a trainer can act on.
function accessProblem(res) {
  if (res.status === 401) {
    wantKey();
    return { title: t("keyNeededTitle"), detail: t(apiKey() ? "keyRejected" : "keyNeeded") };
  }
  if (res.status === 403 && apiKey()) {
    wantKey();
    return { title: t("keyNeededTitle"), detail: t("keyRevoked") };
  }
  if (res.status === 429) {
    const seconds = Number(res.headers.get("Retry-After")) || 60;
    return { title: t("rateLimitedTitle"), detail: t("rateLimited", { seconds }) };
  }
  return null;
}

// ---------- state ----------
const state = {
  history: [],
  documents: [],
  selected: new Set(),
  documentsLoaded: false,
  busy: false,
  controller: null,
  panel: { trigger: null, cited: null, context: null, currentId: null, token: 0 },
};

// ---------- handbooks: filter and "about" ----------
async function loadDocuments() {
  try {
    const res = await fetch("/api/documents", { headers: authHeaders({ Accept: "application/json" }) });
    if (!res.ok) throw new Error((await readProblem(res)).detail);
    const body = await res.json();
    state.documents = body.documents || [];
    state.selected = new Set(state.documents.map((d) => d.doc_id));
    state.documentsLoaded = true;
  } catch (err) {
    const detail = err instanceof TypeError ? t("unreachableTitle") : err.message;
    $("filter-list").replaceChildren(h("p", { class: "muted", text: t("handbooksUnavailable", { detail }) }));
    $("about-list").replaceChildren(h("li", { text: t("handbooksUnavailable", { detail }) }));
    return;
  }
  renderFilter();
  renderAbout();
}

function renderFilter() {
  const list = $("filter-list");
  list.replaceChildren(
    ...state.documents.map((d) =>
      h("label", { class: "check" },
        h("input", {
          type: "checkbox", value: d.doc_id, checked: state.selected.has(d.doc_id),
          onchange: (e) => {
            if (e.target.checked) state.selected.add(d.doc_id);
            else state.selected.delete(d.doc_id);
            updateFilterCount();
          },
        }),
        h("span", { text: d.title })))
  );
  updateFilterCount();
}

function setAllDocuments(on) {
  state.selected = new Set(on ? state.documents.map((d) => d.doc_id) : []);
  for (const box of $("filter-list").querySelectorAll("input[type=checkbox]")) box.checked = on;
  updateFilterCount();
}

function updateFilterCount() {
  const total = state.documents.length;
  const count = state.selected.size;
  $("filter-count").textContent = !total ? "" :
    count === total ? t("filterCountAll", { total }) : t("filterCountSome", { count, total });
}

function selectedDocIds() {
  if (!state.documentsLoaded || state.selected.size === state.documents.length) return null;
  return state.documents.map((d) => d.doc_id).filter((id) => state.selected.has(id));
}

function renderAbout() {
  $("about-list").replaceChildren(
    ...state.documents.map((d) =>
      h("li", {},
        h("h3", { text: d.title }),
        h("dl", {},
          h("dt", { text: t("publisher") }), h("dd", { text: d.publisher || t("unknown") }),
          h("dt", { text: t("year") }), h("dd", { text: d.year || t("unknown") }),
          h("dt", { text: t("pageNumbers") }),
          h("dd", { text: d.pages === "none" ? t("pagesNo") : t("pagesYes") }),
        ),
        h("p", { class: "muted", text: t("passagesCount", { n: d.chunk_count }) })))
  );
}

// ---------- asking ----------
async function readProblem(res) {
  const access = accessProblem(res);
  if (access) return { ...access, status: res.status };
  try {
    const body = await res.json();
    return { title: body.title || `HTTP ${res.status}`, detail: body.detail || "", status: res.status };
  } catch {
    return { title: `HTTP ${res.status}`, detail: res.statusText || "", status: res.status };
  }
}

async function* sseEvents(stream) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = parseEvent(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (event) yield event;
    }
  }
  const last = parseEvent(buffer + decoder.decode());
  if (last) yield last;
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return null;
  try {
    return { name, data: JSON.parse(data.join("\n")) };
  } catch {
    return null;
  }
}

function addTurn(question) {
  $("welcome").hidden = true;
  const answer = h("article", { class: "answer loading", "aria-busy": "true" },
    h("p", { class: "loading-line" }, h("span", { class: "spinner", "aria-hidden": "true" }), t("searching")));
  const turn = h("li", { class: "turn" },
    h("div", { class: "question-bubble" },
      h("span", { class: "who visually-hidden", text: t("you") + ": " }),
      h("p", { dir: "auto", text: question })),
    answer);
  $("turns").append(turn);
  turn.scrollIntoView({ block: "start" });
  return turn;
}

async function ask(question, existingTurn) {
  question = question.trim();
  if (!question || state.busy) return;
  const docIds = selectedDocIds();
  if (docIds && docIds.length === 0) {
    setStatus(t("chooseHandbook"));
    $("filter").open = true;
    return;
  }
  const turn = existingTurn || addTurn(question);
  const body = { question, history: state.history.slice(-MAX_HISTORY_TURNS) };
  if (docIds) body.doc_ids = docIds;
  const lang = $("lang").value;
  if (lang) body.lang = lang;

  state.busy = true;
  state.controller = new AbortController();
  const signal = state.controller.signal;
  $("send").disabled = true;
  setStatus(t("searching"));
  const model = { question, lead: "", points: [], notes: [], answered: null, final: null };
  try {
    let res;
    try {
      res = await fetch("/api/ask/stream", {
        method: "POST",
        headers: authHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (!signal.aborted) renderFailure(turn, question, t("unreachableTitle"), t("unreachableDetail"), "unreachable");
      return;
    }
    if (!res.ok) {
      const problem = await readProblem(res);
      renderFailure(turn, question, problem.title || t("errorTitle"), problem.detail, "error");
      return;
    }
    try {
      if ((res.headers.get("Content-Type") || "").includes("application/json")) {
        model.final = await res.json(); // a server without streaming: one JSON answer
      } else {
        for await (const event of sseEvents(res.body)) {
          applyEvent(model, event);
          renderAnswer(turn, model);
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      if (!model.final) {
        renderFailure(turn, question, t("unreachableTitle"), t("unreachableDetail"), "unreachable");
        return;
      }
    }
    if (!model.final) {
      renderFailure(turn, question, t("errorTitle"), model.error || t("cutOffDetail"), "error");
      return;
    }
    model.answered = model.final.answered;
    renderAnswer(turn, model);
    turn.scrollIntoView({ block: "start" });
    state.history.push(
      { role: "user", content: question.slice(0, MAX_TURN_CHARS) },
      { role: "assistant", content: String(model.final.answer || "").slice(0, MAX_TURN_CHARS) },
    );
    setStatus(model.final.answered ? t("answerReady") : t("notCoveredStatus"));
  } finally {
    if (!signal.aborted) {
      state.busy = false;
      state.controller = null;
      $("send").disabled = false;
    }
  }
}

function applyEvent(model, { name, data }) {
  if (name === "start") model.answered = data.answered;
  else if (name === "lead") model.lead = data.text || "";
  else if (name === "point") model.points[data.index ?? model.points.length] = data.text || "";
  else if (name === "note") model.notes.push(data.text || "");
  else if (name === "final") model.final = data;
  else if (name === "error") model.error = data.detail || data.title || "";
}

// ---------- rendering an answer ----------
function citationFor(model, n) {
  return model.final?.citations?.find((c) => c.n === n) || null;
}

function withCitations(text, model) {
  const frag = document.createDocumentFragment();
  const parts = String(text).split(/(\[\d+\])/);
  for (const part of parts) {
    const m = /^\[(\d+)\]$/.exec(part);
    if (!m) {
      if (part) frag.append(part);
      continue;
    }
    const n = Number(m[1]);
    const citation = citationFor(model, n);
    if (!citation) {
      frag.append(h("span", { class: "cite cite-pending", title: t("pendingCite", { n }) }, `[${n}]`));
      continue;
    }
    frag.append(h("button", {
      type: "button", class: "cite", "data-n": n,
      "aria-label": t("citeLabel", { n, title: shortTitle(citation.title), pages: formatPages(citation.page_start, citation.page_end) }),
      title: `${shortTitle(citation.title)} › ${citation.section}`,
      onclick: (e) => openCitation(citation, model, e.currentTarget),
    }, `[${n}]`));
  }
  return frag;
}

function splitAnswerText(answer) {
  // The /api/ask text: a lead, a blank line, then "- point [n]" lines.
  const lead = [];
  const points = [];
  for (const line of String(answer || "").split("\n")) {
    if (line.startsWith("- ")) points.push(line.slice(2));
    else if (line.trim()) lead.push(line.trim());
  }
  return { lead: lead.join(" "), points };
}

function renderAnswer(turn, model) {
  const final = model.final;
  const refused = model.answered === false;
  let { lead, points } = model;
  points = points.filter((p) => p !== undefined);
  if (final && !lead && !points.length) ({ lead, points } = splitAnswerText(final.answer));
  if (final && refused && !model.lead) lead = String(final.answer || "").split(" The nearest sections")[0];
  const notes = final ? final.notes || [] : model.notes;
  const answerLang = final && (final.answer_lang || final.lang);

  const article = h("article", {
    class: "answer" + (refused ? " refusal" : "") + (final ? "" : " streaming"),
    "aria-busy": final ? "false" : "true",
  });
  if (refused) article.append(h("h3", { class: "refusal-title" },
    h("span", { class: "refusal-icon", "aria-hidden": "true" }, "!"), t("notCoveredTitle")));
  else article.append(h("h3", { class: "visually-hidden", text: t("haven") }));
  if (answerLang) article.append(h("p", { class: "answer-lang", text: t("answerLanguage", { lang: languageName(answerLang) }) }));

  const body = h("div", { class: "answer-body", lang: answerLang || "en" });
  if (lead) body.append(h("p", { class: "lead" }, withCitations(lead, model)));
  if (points.length) body.append(h("ul", { class: "points" }, points.map((p) => h("li", {}, withCitations(p, model)))));
  article.append(body);

  if (refused && final) article.append(renderNearest(final, model));
  if (notes.length) {
    article.append(h("aside", { class: "notes", lang: answerLang || "en", "aria-label": t("keepInMind") },
      h("h4", { text: t("keepInMind") }),
      h("ul", {}, notes.map((n) => h("li", {}, withCitations(n, model))))));
  }
  if (!final) {
    article.append(h("p", { class: "loading-line" }, h("span", { class: "spinner", "aria-hidden": "true" }), t("searching")));
  } else {
    if (final.citations?.length) article.append(renderSources(final, model));
    article.append(renderActions(turn, model));
  }
  turn.querySelector("article").replaceWith(article);
}

function renderNearest(final, model) {
  const seen = new Set();
  const nearest = (final.passages || []).filter((p) => {
    const key = `${p.doc_id}|${p.section}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 3);
  if (!nearest.length) return h("p", { class: "nearest", text: t("noNearest") });
  return h("div", { class: "nearest" },
    h("p", { text: t("nearestSections") }),
    h("ul", {}, nearest.map((p) => h("li", {},
      h("button", {
        type: "button", class: "link-button",
        onclick: (e) => openPassage({ passage: p, quote: null, kind: "nearest", trigger: e.currentTarget }),
      }, `${shortTitle(p.title)} › ${p.section || t("noSection")} · ${formatPages(p.page_start, p.page_end)}`)))));
}

function renderSources(final, model) {
  return h("section", { class: "sources", "aria-label": t("sources") },
    h("h4", { text: t("sources") }),
    h("ol", {}, final.citations.map((c) => h("li", {},
      h("button", {
        type: "button", class: "link-button",
        onclick: (e) => openCitation(c, model, e.currentTarget),
      }, `[${c.n}] ${shortTitle(c.title)}`),
      h("span", { class: "source-where" }, ` › ${c.section || t("noSection")} · ${formatPages(c.page_start, c.page_end)}`),
      h("q", { class: "print-only", lang: "en" }, c.quote),
      c.quote_translation ? h("q", { class: "print-only" }, c.quote_translation) : null))));
}

function renderActions(turn, model) {
  const actions = h("div", { class: "actions" },
    h("button", { type: "button", class: "btn btn-small", onclick: () => copyAnswer(model) }, t("copy")),
    h("button", { type: "button", class: "btn btn-small", onclick: () => printTurn(turn) }, t("print")));
  return h("div", { class: "answer-foot" }, actions, renderFeedback(model));
}

function renderFailure(turn, question, title, detail, kind) {
  const article = h("article", { class: `answer ${kind}`, role: "alert" },
    h("h3", { text: title }),
    detail ? h("p", { text: detail }) : null,
    h("button", {
      type: "button", class: "btn btn-small",
      onclick: () => {
        if (state.busy) return;
        const fresh = h("article", { class: "answer loading", "aria-busy": "true" },
          h("p", { class: "loading-line" }, h("span", { class: "spinner", "aria-hidden": "true" }), t("searching")));
        turn.querySelector("article").replaceWith(fresh);
        ask(question, turn);
      },
    }, t("retry")));
  turn.querySelector("article").replaceWith(article);
  setStatus(`${title}. ${detail || ""}`);
}

// ---------- copy and print ----------
function plainText(model) {
  const final = model.final;
  const lines = [`${t("copyQuestion")}: ${model.question}`, "", String(final.answer || "").trim()];
  if (final.notes?.length) lines.push("", t("copyNotes"), ...final.notes.map((n) => `- ${n}`));
  if (final.citations?.length) {
    lines.push("", t("copySources"));
    for (const c of final.citations) {
      lines.push(`[${c.n}] ${c.title} — ${c.section || t("noSection")} — ${formatPages(c.page_start, c.page_end)}`);
      lines.push(`    “${c.quote}”`);
      if (c.quote_translation) lines.push(`    (${c.quote_translation})`);
    }
  }
  lines.push("", t("footer"));
  return lines.join("\n");
}

async function copyAnswer(model) {
  const text = plainText(model);
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
    await navigator.clipboard.writeText(text);
    setStatus(t("copied"));
    return;
  } catch {
    // Fall back to a hidden text area and the old copy command.
  }
  const area = h("textarea", { class: "copy-buffer", readonly: true, "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  setStatus(ok ? t("copied") : t("copyFailed"));
}

function printTurn(turn) {
  document.body.classList.add("print-one");
  turn.classList.add("print-target");
  const done = () => {
    document.body.classList.remove("print-one");
    turn.classList.remove("print-target");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}

// ---------- feedback ----------
function renderFeedback(model) {
  const box = h("div", { class: "feedback" });
  const comment = h("textarea", { rows: "2", maxlength: "2000", dir: "auto" });
  const include = h("input", { type: "checkbox" });
  const message = h("p", { class: "feedback-message", role: "status" });
  let helpful = null;
  const choose = (value) => {
    helpful = value;
    yes.setAttribute("aria-pressed", String(value === true));
    no.setAttribute("aria-pressed", String(value === false));
    form.hidden = false;
  };
  const yes = h("button", { type: "button", class: "btn btn-small", "aria-pressed": "false", onclick: () => choose(true) }, t("helpful"));
  const no = h("button", { type: "button", class: "btn btn-small", "aria-pressed": "false", onclick: () => choose(false) }, t("notHelpful"));
  const commentId = `c${Math.random().toString(36).slice(2, 9)}`;
  const form = h("form", {
    class: "feedback-form", hidden: true,
    onsubmit: async (e) => {
      e.preventDefault();
      if (helpful === null) return;
      const payload = {
        helpful,
        answer: model.final.answer,
        citations: (model.final.citations || []).map((c) => c.chunk_id),
        include_question: include.checked,
      };
      if (comment.value.trim()) payload.comment = comment.value.trim();
      if (include.checked) payload.question = model.question; // never sent otherwise
      submit.disabled = true;
      try {
        const res = await fetch("/api/feedback", {
          method: "POST",
          headers: authHeaders({ "Content-Type": "application/json" }),
          body: JSON.stringify(payload),
        });
        if (!res.ok) throw new Error((await readProblem(res)).detail);
        box.replaceChildren(h("p", { class: "feedback-message done", role: "status", text: t("feedbackThanks") }));
      } catch (err) {
        submit.disabled = false;
        const detail = err instanceof TypeError ? t("unreachableTitle") : err.message;
        message.textContent = t("feedbackFailed", { detail });
      }
    },
  },
    h("label", { for: commentId, text: t("commentLabel") }),
    Object.assign(comment, { id: commentId }),
    h("label", { class: "check" }, include, h("span", { text: t("includeQuestion") })),
    h("p", { class: "hint", text: t("includeQuestionHint") }));
  const submit = h("button", { type: "submit", class: "btn btn-small btn-primary" }, t("sendFeedback"));
  form.append(submit, message);
  box.append(
    h("div", { class: "feedback-choice", role: "group", "aria-label": t("helpfulQuestion") },
      h("span", { text: t("helpfulQuestion") }), yes, no),
    form);
  return box;
}

// ---------- the passage panel ----------
function openCitation(citation, model, trigger) {
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

function openPassage({ passage, quote, kind, trigger, translation = null, translationLang = null }) {
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

function closePanel() {
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

function goNeighbour(direction) {
  const context = state.panel.context;
  if (!context) return;
  const next = direction < 0 ? context.before[context.before.length - 1] : context.after[0];
  if (!next) return;
  showPassage(next);
  setStatus(`${t("neighbourPosition")} ${formatPages(next.page_start, next.page_end)}`);
  loadContext(next.chunk_id);
}

function backToCited() {
  const cited = state.panel.cited;
  showPassage(cited.passage);
  loadContext(cited.chunkId);
  $("panel-prev").focus();
}

// ---------- start-up ----------
function newConversation() {
  if (state.controller) state.controller.abort();
  state.busy = false;
  state.controller = null;
  state.history = [];
  $("send").disabled = false;
  closePanel();
  $("turns").replaceChildren();
  $("welcome").hidden = false;
  $("question").value = "";
  $("question").focus();
  setStatus(t("conversationCleared"));
}

function init() {
  applyStrings();
  const select = $("lang");
  for (const [code, name] of Object.entries(T.languages)) {
    select.append(h("option", { value: code, lang: code || null }, name));
  }
  $("examples").replaceChildren(...T.examples.map((q) => h("li", {},
    h("button", { type: "button", class: "link-button", onclick: () => ask(q) }, q))));

  const question = $("question");
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = question.value.trim();
    if (!text || state.busy) return;
    question.value = "";
    ask(text);
  });
  question.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("new-conversation").addEventListener("click", newConversation);
  $("filter-all").addEventListener("click", () => setAllDocuments(true));
  $("filter-none").addEventListener("click", () => setAllDocuments(false));
  $("filter").addEventListener("toggle", () => { if (!state.documentsLoaded) loadDocuments(); });
  $("about-open").addEventListener("click", () => {
    if (!state.documentsLoaded) loadDocuments();
    $("about").showModal();
  });
  $("about-close").addEventListener("click", () => $("about").close());
  $("about").addEventListener("click", (e) => { if (e.target === $("about")) $("about").close(); });
  $("panel-close").addEventListener("click", closePanel);
  $("panel-prev").addEventListener("click", () => goNeighbour(-1));
  $("panel-next").addEventListener("click", () => goNeighbour(1));
  $("panel-back").addEventListener("click", backToCited);
  $("key-form").addEventListener("submit", saveKey);
  $("key-forget").addEventListener("click", forgetKey);
  $("key-remember").checked = keyRemembered();
  showKeyState();
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("panel").hidden && !$("about").open) {
      e.preventDefault();
      closePanel();
    }
  });
  loadDocuments();
  question.focus();
}

init();
