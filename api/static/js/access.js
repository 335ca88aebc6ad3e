import { $ } from "./dom.js";
import { t } from "./strings.js";

// The API key: kept in this browser, sent as a bearer token.
const KEY_STORAGE = "haven.apiKey";

function storages() {
  // Either may be unavailable (private windows, strict settings): then the key is not kept.
  const found = [];
  for (const name of ["sessionStorage", "localStorage"]) {
    try { if (window[name]) found.push(window[name]); } catch { /* blocked */ }
  }
  return found;
}

export function apiKey() {
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

export function keyRemembered() {
  try { return Boolean(window.localStorage.getItem(KEY_STORAGE)); } catch { return false; }
}

export function authHeaders(headers = {}) {
  const key = apiKey();
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

export function showKeyState(wanted = false) {
  const set = Boolean(apiKey());
  $("key-state").textContent = t(set ? "keyStateSet" : "keyStateUnset");
  $("key-box").classList.toggle("key-set", set);
  $("key-box").classList.toggle("key-wanted", wanted);
}

export function wantKey() {
  showKeyState(true);
  $("key-box").open = true;
}

export function saveKey(e, onSaved) {
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
  onSaved();
}

export function forgetKey() {
  storeApiKey("", false);
  $("key-input").value = "";
  showKeyState();
  $("key-message").textContent = t("keyForgotten");
}

// Problems about the key or the rate limit, in words a trainer can act on.
export function accessProblem(res) {
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

// An HTTP problem in words: the access ones above, else the server's own title and detail.
export async function readProblem(res) {
  const access = accessProblem(res);
  if (access) return { ...access, status: res.status };
  try {
    const body = await res.json();
    return { title: body.title || `HTTP ${res.status}`, detail: body.detail || "", status: res.status };
  } catch {
    return { title: `HTTP ${res.status}`, detail: res.statusText || "", status: res.status };
  }
}
