// GET /calls/events read with fetch() streaming rather than EventSource: EventSource cannot send the
// X-Api-Key header, and a key in the URL would end up in access logs, proxy logs and browser history.
// Reconnects by itself with backoff; every connection starts with a fresh snapshot, so nothing is missed.
import { apiKey, noteServerClock } from "./agent-api.js";

const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 15000;
const SILENCE_MS = 45000; // the server pings every 15 s; three missed pings means a dead stream

/**
 * Opens the stream; returns an AbortController that closes it for good.
 * onEvent({ type, data }) for each event; onConnection("connecting"|"live", text); onUnauthorized() on a 401.
 */
export function openEventStream({ onEvent, onConnection, onUnauthorized }) {
  const controller = new AbortController();
  const run = async () => {
    let delay = RECONNECT_MIN_MS;
    let retrying = false;
    while (!controller.signal.aborted) {
      onConnection("connecting", retrying ? "Reconnecting…" : "Connecting…");
      retrying = true;
      const outcome = await readOnce(controller.signal, onEvent, () => {
        delay = RECONNECT_MIN_MS;
        onConnection("live", "Live");
      });
      if (controller.signal.aborted) return;
      if (outcome === "unauthorized") { onUnauthorized(); return; }
      onConnection("connecting", "Reconnecting…");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    }
  };
  run();
  return controller;
}

async function readOnce(signal, onEvent, onOpen) {
  const attempt = new AbortController();
  const abortAttempt = () => attempt.abort();
  signal.addEventListener("abort", abortAttempt);
  let silenceTimer = null;
  const resetSilence = () => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(abortAttempt, SILENCE_MS);
  };
  try {
    const response = await fetch("/calls/events", {
      headers: { "X-Api-Key": apiKey(), Accept: "text/event-stream" },
      cache: "no-store",
      signal: attempt.signal,
    });
    noteServerClock(response);
    if (response.status === 401) return "unauthorized";
    if (!response.ok || !response.body) return "failed";
    onOpen();
    resetSilence();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return "closed";
      resetSilence();
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        onEvent(parseEvent(block));
      }
    }
  } catch {
    return "failed";
  } finally {
    clearTimeout(silenceTimer);
    signal.removeEventListener("abort", abortAttempt);
  }
}

/** One Server-Sent Events block → { type, data }. */
export function parseEvent(block) {
  let type = "message";
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  return { type, data: data.join("\n") };
}
