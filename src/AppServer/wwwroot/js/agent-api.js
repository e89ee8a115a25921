// The agent API as the console calls it: the X-Api-Key header on every request, problem+json answers
// turned into one sentence, and the server's clock learnt from the Date header.

const session = { key: null, clockOffsetMs: 0 };

export function setApiKey(key) {
  session.key = key;
}

export function apiKey() {
  return session.key;
}

/** Milliseconds since the epoch by the server's clock. */
export function serverNow() {
  return Date.now() + session.clockOffsetMs;
}

/** Calls the agent API; resolves to { ok, status, data } where data is the JSON body (a problem on errors). */
export async function api(method, path, body) {
  const headers = { "X-Api-Key": session.key, Accept: "application/json" };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, data: { title: "Network error", detail: "AppServer could not be reached. Check the connection and try again." } };
  }
  noteServerClock(response);
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text }; }
  }
  return { ok: response.ok, status: response.status, data };
}

/**
 * Durations tick from the server's createdAt, so a browser clock minutes off would show nonsense.
 * The Date header of each answer (1 s precision) gives the offset; small differences are ignored.
 */
export function noteServerClock(response) {
  const server = Date.parse(response.headers.get("Date") || "");
  if (Number.isNaN(server)) return;
  const offset = server - Date.now();
  session.clockOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
}

/** The sentence to show for a problem+json answer: its detail, else its title, else the status. */
export function problemText(result) {
  const p = result.data || {};
  let text = p.detail || p.title || `The server answered ${result.status}.`;
  if (p.errors && typeof p.errors === "object") {
    const fieldMessages = Object.values(p.errors).flat().filter((m) => m && m !== text);
    if (fieldMessages.length) text += " " + fieldMessages.join(" ");
  }
  return text;
}
