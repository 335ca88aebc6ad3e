// Haven quiz builder for trainers: draft a quiz from the handbooks, review and edit every item,
// export it for a learning platform. Drafting, editing and deleting need an API key (entered
// under "API key" in the header). An ES module: it imports the chat page's helpers it uses.
import { authHeaders, readProblem } from "./js/access.js";
import { $, applyStrings, formatPages, h, shortTitle } from "./js/dom.js";
import { selectedDocIds } from "./js/handbooks.js";
import { openPassage } from "./js/panel.js";
import { STRINGS, t } from "./js/strings.js";

Object.assign(STRINGS.en, {
  tabsLabel: "Views",
  tabAsk: "Ask",
  tabQuiz: "Quiz",
  quizHeading: "Quiz builder for trainers",
  quizIntro: "Draft questions from the handbooks for a training session. Every answer comes from a cited passage; review and edit each item before you use it.",
  quizTopic: "Topic (optional)",
  quizTopicHint: "For example: interviewing a child, referral, identification at the border. Leave empty to draw on all of the selected handbooks.",
  quizCount: "Number of items",
  quizKinds: "Kinds of item",
  quizSeed: "Seed (optional)",
  quizSeedHint: "The same seed and settings give the same quiz.",
  quizHandbooksNote: "Handbooks: as chosen under “Handbooks” above. Language: as chosen under “Answer language”.",
  kind_mcq: "Multiple choice",
  kind_true_false: "True or false",
  kind_fill_blank: "Fill in the blank",
  kind_scenario: "Scenario",
  quizDraft: "Draft quiz",
  quizDrafting: "Drafting the quiz…",
  quizDrafted: "Quiz drafted: {n} items. Review every item before use.",
  quizChooseKind: "Choose at least one kind of item.",
  quizFailed: "The quiz could not be drafted: {detail}",
  quizSaved: "Saved quizzes",
  quizNoSaved: "No saved quizzes yet.",
  quizOpen: "Open",
  quizDelete: "Delete quiz",
  quizDeleteConfirm: "Delete the quiz “{title}”? This cannot be undone.",
  quizDeleted: "Quiz deleted.",
  quizItems: "{n} items",
  quizTitleLabel: "Quiz title",
  quizSaveTitle: "Save title",
  quizTitleSaved: "Title saved.",
  quizExport: "Export",
  export_gift: "Moodle GIFT",
  export_moodle_xml: "Moodle XML",
  export_csv: "CSV (spreadsheet)",
  export_md: "Handout with answer key (Markdown)",
  quizItemHeading: "Item {n} · {kind}",
  quizQuestion: "Question",
  quizOptions: "Options (select the correct one)",
  quizCorrect: "Correct answer",
  quizOption: "Option {n}",
  quizAnswer: "Answer",
  quizAccept: "Also accept (comma-separated)",
  quizExplanation: "Explanation",
  quizSource: "Source",
  quizQuote: "Quoted passage",
  quizViewPassage: "Show the passage",
  quizSaveItem: "Save item",
  quizItemSaved: "Item {n} saved.",
  quizDeleteItem: "Delete item",
  quizItemDeleted: "Item deleted.",
  quizEdited: "edited",
  quizTrue: "True",
  quizFalse: "False",
  quizSaveFailed: "Not saved: {detail}",
  quizBasis_recommended: "from guidance the handbook gives",
  quizBasis_advised_against: "from something the handbook advises against",
  quizBasis_definition: "from a definition",
  quizBasis_statement: "from a should / should-not statement",
  quizBasis_term: "a key term left out",
  quizBasis_situation: "from guidance for a situation",
});

const QUIZ_KINDS = ["mcq", "true_false", "fill_blank", "scenario"];
const QUIZ_FORMATS = ["gift", "moodle_xml", "csv", "md"];
const MAX_QUIZ_ITEMS = 50;
const quiz = { current: null, busy: false };

function quizStatus(text) {
  const el = $("quiz-status");
  el.textContent = "";
  window.setTimeout(() => { el.textContent = text; }, 30);
}

async function quizFetch(url, options = {}) {
  let res;
  try {
    res = await fetch(url, { headers: authHeaders({ "Content-Type": "application/json", Accept: "application/json" }), ...options });
  } catch {
    throw new Error(t("unreachableDetail"));
  }
  if (!res.ok) throw new Error((await readProblem(res)).detail || `HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

// An export is a download; fetched here rather than followed as a plain link so it carries the
// API key when the server wants one for reads, and a refusal shows as a message.
async function downloadExport(e) {
  e.preventDefault();
  const link = e.currentTarget;
  try {
    let res;
    try {
      res = await fetch(link.href, { headers: authHeaders() });
    } catch {
      throw new Error(t("unreachableDetail"));
    }
    if (!res.ok) throw new Error((await readProblem(res)).detail || `HTTP ${res.status}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "")?.[1] || "quiz";
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    quizStatus(err.message);
  }
}

// ---------- tabs ----------
function showTab(name, focus = false) {
  const quizOn = name === "quiz";
  $("tab-ask").setAttribute("aria-selected", String(!quizOn));
  $("tab-quiz").setAttribute("aria-selected", String(quizOn));
  $("tab-ask").tabIndex = quizOn ? -1 : 0;
  $("tab-quiz").tabIndex = quizOn ? 0 : -1;
  $("main").hidden = quizOn;
  $("quiz-view").hidden = !quizOn;
  $("new-conversation").hidden = quizOn;
  if (quizOn) loadSavedQuizzes();
  if (focus) (quizOn ? $("tab-quiz") : $("tab-ask")).focus();
}

function tabKeys(e) {
  if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
  e.preventDefault();
  showTab($("tab-quiz").getAttribute("aria-selected") === "true" ? "ask" : "quiz", true);
}

// ---------- the form ----------
function renderQuizForm() {
  const kinds = h("fieldset", { class: "quiz-kinds" },
    h("legend", { text: t("quizKinds") }),
    QUIZ_KINDS.map((k) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "kind", value: k, checked: true }),
      h("span", { text: t(`kind_${k}`) }))));
  const form = h("form", { id: "quiz-form", class: "quiz-form", novalidate: true, onsubmit: draftQuiz },
    h("div", { class: "quiz-field quiz-topic" },
      h("label", { for: "quiz-topic", text: t("quizTopic") }),
      h("input", { id: "quiz-topic", type: "text", maxlength: "300", autocomplete: "off", "aria-describedby": "quiz-topic-hint" }),
      h("p", { id: "quiz-topic-hint", class: "hint", text: t("quizTopicHint") })),
    h("div", { class: "quiz-field" },
      h("label", { for: "quiz-count", text: t("quizCount") }),
      h("input", { id: "quiz-count", type: "number", min: "1", max: String(MAX_QUIZ_ITEMS), value: "10", required: true })),
    h("div", { class: "quiz-field" },
      h("label", { for: "quiz-seed", text: t("quizSeed") }),
      h("input", { id: "quiz-seed", type: "number", min: "0", step: "1", "aria-describedby": "quiz-seed-hint" }),
      h("p", { id: "quiz-seed-hint", class: "hint", text: t("quizSeedHint") })),
    kinds,
    h("p", { class: "hint quiz-wide", text: t("quizHandbooksNote") }),
    h("div", { class: "quiz-wide" },
      h("button", { type: "submit", id: "quiz-draft", class: "btn btn-primary", text: t("quizDraft") })));
  $("quiz-view").replaceChildren(
    h("h2", { id: "quiz-heading", text: t("quizHeading") }),
    h("p", { class: "muted", text: t("quizIntro") }),
    form,
    h("p", { id: "quiz-status", class: "status", role: "status", "aria-live": "polite" }),
    h("div", { id: "quiz-current" }),
    h("section", { class: "quiz-saved", "aria-labelledby": "quiz-saved-title" },
      h("h3", { id: "quiz-saved-title", text: t("quizSaved") }),
      h("ul", { id: "quiz-saved-list", class: "quiz-saved-list" })));
}

async function draftQuiz(e) {
  e.preventDefault();
  if (quiz.busy) return;
  const kinds = [...document.querySelectorAll("#quiz-form input[name=kind]:checked")].map((b) => b.value);
  if (!kinds.length) { quizStatus(t("quizChooseKind")); return; }
  const docIds = selectedDocIds();
  if (docIds && docIds.length === 0) { quizStatus(t("chooseHandbook")); $("filter").open = true; return; }
  const n = Math.min(MAX_QUIZ_ITEMS, Math.max(1, Number($("quiz-count").value) || 10));
  const body = { n, kinds };
  const topic = $("quiz-topic").value.trim();
  if (topic) body.topic = topic;
  if (docIds) body.doc_ids = docIds;
  const lang = $("lang").value;
  if (lang) body.lang = lang;
  const seed = $("quiz-seed").value.trim();
  if (seed !== "") body.seed = Number(seed);
  quiz.busy = true;
  $("quiz-draft").disabled = true;
  quizStatus(t("quizDrafting"));
  try {
    const drafted = await quizFetch("/api/quiz", { method: "POST", body: JSON.stringify(body) });
    renderQuiz(drafted);
    quizStatus(t("quizDrafted", { n: drafted.items.length }));
    loadSavedQuizzes();
    $("quiz-current").querySelector("h3")?.focus();
  } catch (err) {
    quizStatus(t("quizFailed", { detail: err.message }));
  } finally {
    quiz.busy = false;
    $("quiz-draft").disabled = false;
  }
}

// ---------- saved quizzes ----------
async function loadSavedQuizzes() {
  const list = $("quiz-saved-list");
  if (!list) return;
  try {
    const body = await quizFetch("/api/quiz");
    if (!body.quizzes.length) { list.replaceChildren(h("li", { class: "muted", text: t("quizNoSaved") })); return; }
    list.replaceChildren(...body.quizzes.map((q) => h("li", {},
      h("button", { type: "button", class: "link-button", onclick: () => openQuiz(q.quiz_id) }, q.title),
      h("span", { class: "muted", text: ` · ${t("quizItems", { n: q.item_count })} · ${q.updated_at.slice(0, 10)}` }))));
  } catch (err) {
    list.replaceChildren(h("li", { class: "muted", text: err.message }));
  }
}

async function openQuiz(id) {
  try {
    renderQuiz(await quizFetch(`/api/quiz/${encodeURIComponent(id)}`));
    $("quiz-current").querySelector("h3")?.focus();
  } catch (err) {
    quizStatus(err.message);
  }
}

async function deleteQuiz(current) {
  if (!window.confirm(t("quizDeleteConfirm", { title: current.title }))) return;
  try {
    await quizFetch(`/api/quiz/${encodeURIComponent(current.quiz_id)}`, { method: "DELETE" });
    quiz.current = null;
    $("quiz-current").replaceChildren();
    quizStatus(t("quizDeleted"));
    loadSavedQuizzes();
  } catch (err) {
    quizStatus(t("quizSaveFailed", { detail: err.message }));
  }
}

// ---------- one quiz: review and edit ----------
function renderQuiz(current) {
  quiz.current = current;
  const base = `/api/quiz/${encodeURIComponent(current.quiz_id)}`;
  const title = h("input", { id: "quiz-title-input", type: "text", maxlength: "200", value: current.title });
  const head = h("div", { class: "quiz-head" },
    h("h3", { tabindex: "-1", text: current.title }),
    h("div", { class: "quiz-title-row" },
      h("label", { for: "quiz-title-input", text: t("quizTitleLabel") }),
      title,
      h("button", {
        type: "button", class: "btn btn-small",
        onclick: async () => {
          try {
            const saved = await quizFetch(base, { method: "PUT", body: JSON.stringify({ title: title.value.trim() || current.title }) });
            current.title = saved.title;
            head.querySelector("h3").textContent = saved.title;
            quizStatus(t("quizTitleSaved"));
            loadSavedQuizzes();
          } catch (err) { quizStatus(t("quizSaveFailed", { detail: err.message })); }
        },
      }, t("quizSaveTitle"))),
    current.notes?.length ? h("ul", { class: "notes quiz-notes" }, current.notes.map((n) => h("li", { text: n }))) : null,
    h("div", { class: "quiz-export", role: "group", "aria-label": t("quizExport") },
      h("span", { class: "quiz-export-label", text: t("quizExport") + ":" }),
      QUIZ_FORMATS.map((f) => h("a", { class: "btn btn-small", href: `${base}/export?format=${f}`, download: "", onclick: downloadExport }, t(`export_${f}`))),
      h("button", { type: "button", class: "btn btn-small btn-danger", onclick: () => deleteQuiz(current) }, t("quizDelete"))));
  const items = h("ol", { class: "quiz-items" }, current.items.map((item, i) => renderItem(current, item, i + 1)));
  $("quiz-current").replaceChildren(head, items);
}

function renderItem(current, item, n) {
  const base = `/api/quiz/${encodeURIComponent(current.quiz_id)}/items/${encodeURIComponent(item.id)}`;
  const id = (name) => `${item.id}-${name}`;
  const question = h("textarea", { id: id("q"), rows: "3", maxlength: "2000" });
  question.value = item.question;
  const explanation = h("textarea", { id: id("e"), rows: "3" });
  explanation.value = item.explanation;
  const fields = [
    h("label", { for: id("q"), text: t("quizQuestion") }), question,
  ];
  let read;
  if (item.options) {
    const rows = item.options.map((o, i) => {
      const radio = h("input", { type: "radio", name: id("correct"), value: String(i), checked: o === item.answer, "aria-label": t("quizCorrect") + ` (${t("quizOption", { n: i + 1 })})` });
      const text = h("textarea", { rows: "2", maxlength: "2000", "aria-label": t("quizOption", { n: i + 1 }) });
      text.value = o;
      return { radio, text, row: h("li", { class: "quiz-option" }, radio, text) };
    });
    fields.push(h("fieldset", { class: "quiz-options" },
      h("legend", { text: t("quizOptions") }),
      h("ol", { type: "A" }, rows.map((r) => r.row))));
    read = () => {
      const options = rows.map((r) => r.text.value.trim());
      const chosen = rows.findIndex((r) => r.radio.checked);
      return { options, answer: options[chosen] ?? "" };
    };
  } else if (item.kind === "true_false") {
    const select = h("select", { id: id("a") },
      h("option", { value: "True", selected: item.answer === "True" }, t("quizTrue")),
      h("option", { value: "False", selected: item.answer === "False" }, t("quizFalse")));
    fields.push(h("label", { for: id("a"), text: t("quizAnswer") }), select);
    read = () => ({ answer: select.value });
  } else {
    const answer = h("input", { id: id("a"), type: "text", value: item.answer });
    const accept = h("input", { id: id("acc"), type: "text", value: (item.accept || []).join(", ") });
    fields.push(h("label", { for: id("a"), text: t("quizAnswer") }), answer,
      h("label", { for: id("acc"), text: t("quizAccept") }), accept);
    read = () => ({ answer: answer.value.trim(), accept: accept.value.split(",").map((s) => s.trim()).filter(Boolean) });
  }
  fields.push(h("label", { for: id("e"), text: t("quizExplanation") }), explanation);

  const c = item.citation;
  const source = h("div", { class: "quiz-source" },
    h("p", {}, h("strong", { text: t("quizSource") + ": " }),
      `${shortTitle(c.title)} › ${c.section || t("noSection")} · ${formatPages(c.page_start, c.page_end)}`),
    h("blockquote", { lang: "en", "aria-label": t("quizQuote") }, c.quote),
    h("button", {
      type: "button", class: "link-button",
      onclick: (e) => openPassage({
        passage: { chunk_id: c.chunk_id, doc_id: c.doc_id, title: c.title, section: c.section, page_start: c.page_start, page_end: c.page_end, text: c.quote },
        quote: c.quote, kind: "cited", trigger: e.currentTarget,
      }),
    }, t("quizViewPassage")));

  const badge = h("span", { class: "quiz-edited", hidden: !item.edited, text: t("quizEdited") });
  const card = h("li", { class: "quiz-item", "data-kind": item.kind, "data-id": item.id });
  const save = h("button", {
    type: "button", class: "btn btn-small btn-primary",
    onclick: async () => {
      const body = { question: question.value.trim(), explanation: explanation.value.trim(), ...read() };
      try {
        const saved = await quizFetch(base, { method: "PUT", body: JSON.stringify(body) });
        Object.assign(item, saved);
        badge.hidden = !saved.edited;
        quizStatus(t("quizItemSaved", { n }));
      } catch (err) { quizStatus(t("quizSaveFailed", { detail: err.message })); }
    },
  }, t("quizSaveItem"));
  const remove = h("button", {
    type: "button", class: "btn btn-small btn-danger",
    onclick: async () => {
      try {
        await quizFetch(base, { method: "DELETE" });
        current.items = current.items.filter((x) => x.id !== item.id);
        const next = card.nextElementSibling || card.previousElementSibling;
        card.remove();
        quizStatus(t("quizItemDeleted"));
        (next?.querySelector("textarea") || $("quiz-current").querySelector("h3"))?.focus();
        loadSavedQuizzes();
      } catch (err) { quizStatus(t("quizSaveFailed", { detail: err.message })); }
    },
  }, t("quizDeleteItem"));
  card.append(
    h("h4", {}, t("quizItemHeading", { n, kind: t(`kind_${item.kind}`) }), " ", badge,
      h("span", { class: "quiz-basis muted", text: ` — ${t(`quizBasis_${item.basis}`)}` })),
    h("div", { class: "quiz-fields" }, fields),
    source,
    h("div", { class: "actions" }, save, remove));
  return card;
}

function initQuiz() {
  applyStrings();
  renderQuizForm();
  $("tab-ask").addEventListener("click", () => showTab("ask"));
  $("tab-quiz").addEventListener("click", () => showTab("quiz"));
  for (const tab of [$("tab-ask"), $("tab-quiz")]) tab.addEventListener("keydown", tabKeys);
  if (window.location.hash === "#quiz") showTab("quiz");
}

initQuiz();
