import { authHeaders, readProblem } from "./access.js";
import { formatPages, h, languageName, setStatus, shortTitle } from "./dom.js";
import { openCitation, openPassage } from "./panel.js";
import { t } from "./strings.js";

// Rendering an answer: lead, points with [n] citations, notes, sources, copy, print, feedback.
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

export function renderAnswer(turn, model) {
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
