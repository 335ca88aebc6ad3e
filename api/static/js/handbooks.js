import { authHeaders, readProblem } from "./access.js";
import { $, h } from "./dom.js";
import { state } from "./state.js";
import { t } from "./strings.js";

// The handbooks: the filter and the "about" dialog.
export async function loadDocuments() {
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

export function setAllDocuments(on) {
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

export function selectedDocIds() {
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
