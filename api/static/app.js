// Haven web chat: plain JavaScript modules, no build step, nothing loaded from the web.
// This entry module runs the conversation; the pieces it uses are the modules in js/.
import { authHeaders, forgetKey, keyRemembered, readProblem, saveKey, showKeyState } from "./js/access.js";
import { renderAnswer } from "./js/answer.js";
import { $, applyStrings, h, setStatus } from "./js/dom.js";
import { loadDocuments, selectedDocIds, setAllDocuments } from "./js/handbooks.js";
import { backToCited, closePanel, goNeighbour } from "./js/panel.js";
import { state } from "./js/state.js";
import { sseEvents } from "./js/stream.js";
import { T, t } from "./js/strings.js";

const MAX_HISTORY_TURNS = 20; // messages sent back for follow-ups (the API accepts 50)
const MAX_TURN_CHARS = 20000;

// ---------- the index ----------
const INDEX_POLL_MS = 30000;

// After a first start the server answers from a starter index (English-only model) while the
// multilingual one is built in the background: say so until /ready reports the switch.
async function watchIndex() {
  let ready;
  try {
    const res = await fetch("/ready", { headers: { Accept: "application/json" } });
    if (!res.ok) return;
    ready = await res.json();
  } catch {
    return; // the chat itself reports an unreachable server
  }
  const building = Boolean(ready.starter_index && ready.background_build);
  const note = $("index-note");
  note.hidden = !building;
  note.textContent = building ? t("starterIndex") : "";
  if (building) setTimeout(watchIndex, INDEX_POLL_MS);
}

// ---------- asking ----------
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
  $("key-form").addEventListener("submit", (e) => saveKey(e, () => { if (!state.documentsLoaded) loadDocuments(); }));
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
  watchIndex();
  question.focus();
}

init();
