import { T, t } from "./strings.js";

// Small DOM helpers, and the page-wide formats of pages, titles and language names.
export const $ = (id) => document.getElementById(id);

export function h(tag, attrs, ...children) {
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

export function applyStrings() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria-label]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  for (const el of document.querySelectorAll("[data-i18n-title]"))
    el.setAttribute("title", t(el.dataset.i18nTitle));
}

export function setStatus(text) {
  const status = $("status");
  status.textContent = "";
  // A fresh node, so screen readers announce the same message twice in a row.
  window.setTimeout(() => { status.textContent = text; }, 30);
}

export function formatPages(start, end) {
  if (start === null || start === undefined) return t("noPages");
  if (end === null || end === undefined || end === start) return t("page", { n: start });
  return t("pageRange", { start, end });
}

export function shortTitle(title) {
  const cut = title.split(/[:.(]/)[0].trim();
  return cut.length >= 12 ? cut : title;
}

export function languageName(code) {
  const names = T.languages;
  const base = String(code || "").toLowerCase().split(/[-_]/)[0];
  return names[code] || names[base] || code;
}
