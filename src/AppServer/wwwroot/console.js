// AppServer agent console: sign-in, the live call list, the chosen call's actions. Plain ES modules, no build step.
// Every value from the server reaches the page through textContent or DOM properties, never innerHTML:
// caller names and SIP headers come from the phone network and may hold markup.
import { api, problemText, setApiKey } from "./js/agent-api.js";
import { openEventStream } from "./js/event-stream.js";
import { byNewestFirst, callerText, conferenceRoom, durationText, isEnded } from "./js/call-format.js";
import { historyItem } from "./js/transfer-history.js";

const KEY_STORAGE = "appserver.agentKey"; // sessionStorage: the key dies with the tab, never on disk

const $ = (id) => document.getElementById(id);
const el = {
  session: $("session"), connection: $("connection"), signOut: $("sign-out"),
  signIn: $("sign-in"), signInForm: $("sign-in-form"), apiKey: $("api-key"), signInError: $("sign-in-error"),
  signInButton: $("sign-in-button"),
  console: $("console"), status: $("status"),
  noCalls: $("no-calls"), table: $("calls-table"), rows: $("calls-body"),
  detailHeading: $("detail-heading"), detailEmpty: $("detail-empty"), detailBody: $("detail-body"),
  factStatus: $("fact-status"), factAgent: $("fact-agent"), factMuted: $("fact-muted"), factRoom: $("fact-room"), factSid: $("fact-sid"),
  transferForm: $("transfer-form"), target: $("transfer-target"), addressField: $("transfer-address-field"),
  address: $("transfer-address"), room: $("conference-room"),
  inviteForm: $("invite-form"), inviteTo: $("invite-to"), agentNames: $("agent-names"),
  mute: $("mute"), hangUp: $("hang-up"),
  historyEmpty: $("history-empty"), historyList: $("history-list"),
  dialog: $("confirm-dialog"), dialogTitle: $("confirm-title"), dialogMessage: $("confirm-message"), dialogOk: $("confirm-ok"),
};

const OTHER_ADDRESS = "__other__";
const state = {
  calls: new Map(),       // callSid → call view, as GET /calls shows it
  rowsBySid: new Map(),   // callSid → <tr>
  selected: null,         // callSid
  busy: false,
  stream: null,           // AbortController of the event stream
};

// ---------- sign in / out ----------

async function signIn(key, fromStorage) {
  setApiKey(key);
  el.signInButton.disabled = true;
  el.signInError.textContent = "";
  const result = await api("GET", "/agents");
  el.signInButton.disabled = false;
  if (!result.ok) {
    setApiKey(null);
    sessionStorage.removeItem(KEY_STORAGE);
    el.signInError.textContent = result.status === 401
      ? `The server refused this key: ${problemText(result)}`
      : `Could not sign in: ${problemText(result)}`;
    if (!fromStorage) { el.apiKey.focus(); el.apiKey.select(); }
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  fillAgents(result.data || []);
  el.apiKey.value = "";
  el.signIn.hidden = true;
  el.console.hidden = false;
  el.session.hidden = false;
  setStatus("idle", "Signed in. Waiting for calls…");
  state.stream = openEventStream({
    onEvent: handleEvent,
    onConnection: setConnection,
    onUnauthorized: () => signOut("The server no longer accepts this key. Sign in again."),
  });
  $("calls-heading").focus();
}

function signOut(message) {
  if (state.stream) state.stream.abort();
  state.stream = null;
  setApiKey(null);
  sessionStorage.removeItem(KEY_STORAGE);
  state.calls.clear();
  state.rowsBySid.clear();
  el.rows.replaceChildren();
  select(null);
  el.console.hidden = true;
  el.session.hidden = true;
  el.signIn.hidden = false;
  el.signInError.textContent = message || "";
  el.apiKey.focus();
}

function fillAgents(agents) {
  const options = agents.map((a) => new Option(`${a.name} (${a.address})`, a.name));
  options.unshift(new Option("Choose an agent…", ""));
  options.push(new Option("Another address…", OTHER_ADDRESS));
  el.target.replaceChildren(...options);
  el.agentNames.replaceChildren(...agents.map((a) => new Option(a.address, a.name)));
  showAddressField();
}

function showAddressField() {
  el.addressField.hidden = el.target.value !== OTHER_ADDRESS;
}

// ---------- event stream ----------

function handleEvent(event) {
  if (event.type !== "snapshot" && event.type !== "calls") return;
  let payload;
  try { payload = JSON.parse(event.data); } catch { return; }
  const calls = Array.isArray(payload.calls) ? payload.calls : [];
  if (event.type === "snapshot") {
    state.calls.clear();
    for (const row of state.rowsBySid.values()) row.remove();
    state.rowsBySid.clear();
  }
  for (const call of calls) state.calls.set(call.callSid, call);
  renderCalls();
}

function setConnection(kind, text) {
  el.connection.dataset.state = kind;
  el.connection.textContent = text;
}

// ---------- call list ----------

function renderCalls() {
  const calls = [...state.calls.values()].sort(byNewestFirst);
  el.noCalls.hidden = calls.length > 0;
  el.table.hidden = calls.length === 0;
  calls.forEach((call, index) => {
    let row = state.rowsBySid.get(call.callSid);
    if (!row) {
      row = createRow(call.callSid);
      state.rowsBySid.set(call.callSid, row);
    }
    fillRow(row, call);
    // Move only rows that are out of place: moving a node takes focus away from a button inside it.
    if (el.rows.children[index] !== row) el.rows.insertBefore(row, el.rows.children[index] || null);
  });
  if (state.selected && state.calls.has(state.selected)) renderDetail();
}

function createRow(callSid) {
  const row = document.createElement("tr");
  row.dataset.callSid = callSid;
  for (const name of ["caller", "called", "status", "agent", "duration"]) {
    const cell = document.createElement("td");
    cell.className = name;
    row.append(cell);
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "select-call";
  button.addEventListener("click", () => select(callSid, true));
  row.cells[0].append(button);
  const badge = document.createElement("span");
  badge.className = "badge";
  row.cells[2].append(badge);
  return row;
}

function fillRow(row, call) {
  const caller = callerText(call);
  const button = row.cells[0].firstChild;
  button.textContent = caller;
  button.setAttribute("aria-label", `Caller ${caller}, ${call.callStatus || "unknown status"}: show actions`);
  row.cells[1].textContent = call.to || "—";
  const badge = row.cells[2].firstChild;
  badge.textContent = call.callStatus || "unknown";
  badge.dataset.status = call.callStatus || "";
  row.cells[3].textContent = call.agent || "—";
  row.cells[4].textContent = durationText(call);
  row.classList.toggle("ended", isEnded(call));
  markSelected(row, call.callSid === state.selected);
}

// aria-selected belongs to grids and listboxes, not plain tables: the row's button says it is current.
function markSelected(row, selected) {
  row.classList.toggle("selected", selected);
  const button = row.cells[0].firstChild;
  if (selected) button.setAttribute("aria-current", "true");
  else button.removeAttribute("aria-current");
}

setInterval(() => {
  for (const [sid, row] of state.rowsBySid) {
    const call = state.calls.get(sid);
    if (call && !isEnded(call)) row.cells[4].textContent = durationText(call);
  }
}, 1000);

// ---------- selected call ----------

function select(callSid, moveFocus) {
  state.selected = callSid;
  for (const [sid, row] of state.rowsBySid) markSelected(row, sid === callSid);
  renderDetail();
  if (moveFocus) el.detailHeading.focus();
}

function renderDetail() {
  const call = state.selected ? state.calls.get(state.selected) : null;
  el.detailEmpty.hidden = Boolean(call);
  el.detailBody.hidden = !call;
  if (!call) {
    el.detailHeading.textContent = "No call selected";
    return;
  }
  el.detailHeading.textContent = `Call from ${callerText(call)} to ${call.to || "unknown"}`;
  el.factStatus.textContent = call.callStatus || "unknown";
  el.factAgent.textContent = call.agent || "—";
  el.factMuted.textContent = call.muted ? "yes" : "no";
  const room = conferenceRoom(call);
  el.factRoom.textContent = room || "—";
  el.factSid.textContent = call.callSid;
  el.mute.textContent = call.muted ? "Unmute" : "Mute";
  el.mute.setAttribute("aria-pressed", String(Boolean(call.muted)));
  if (room && !el.room.value) el.room.placeholder = room;
  updateActionAvailability();
  renderHistory(call);
}

function updateActionAvailability() {
  const call = state.selected ? state.calls.get(state.selected) : null;
  const live = Boolean(call) && !isEnded(call);
  const inConference = Boolean(call) && conferenceRoom(call) !== null;
  for (const control of [...el.transferForm.elements, el.mute, el.hangUp]) control.disabled = state.busy || !live;
  for (const control of el.inviteForm.elements) control.disabled = state.busy || !inConference;
}

function renderHistory(call) {
  const transfers = [...(call.transfers || [])].reverse(); // newest first
  el.historyEmpty.hidden = transfers.length > 0;
  const open = new Set([...el.historyList.querySelectorAll("details[open]")].map((d) => d.dataset.transferId));
  el.historyList.replaceChildren(...transfers.map((t) => historyItem(t, open.has(t.id))));
}

// ---------- actions ----------

function setStatus(kind, text) {
  el.status.dataset.kind = kind;
  el.status.textContent = text;
}

/** Runs one agent action: progress message, the request, then success or the server's problem detail. */
async function runAction(progress, request, success) {
  const callSid = state.selected;
  const returnFocus = document.activeElement; // disabling the pressed button drops focus; give it back after
  state.busy = true;
  updateActionAvailability();
  el.detailBody.setAttribute("aria-busy", "true");
  setStatus("progress", progress);
  try {
    const result = await request();
    if (result.ok) setStatus("success", success(result.data));
    else setStatus("error", `${progress.replace(/…$/, "")} failed: ${problemText(result)}`);
    // The stream will bring the change too; reading the call now makes the page right even if it lags.
    if (callSid) await refreshCall(callSid);
    return result;
  } finally {
    state.busy = false;
    el.detailBody.removeAttribute("aria-busy");
    updateActionAvailability();
    if (document.activeElement === document.body || document.activeElement === null) {
      if (returnFocus instanceof HTMLElement && !returnFocus.disabled && returnFocus.isConnected) returnFocus.focus();
      else el.detailHeading.focus(); // e.g. Hang up, now disabled on the ended call
    }
  }
}

async function refreshCall(callSid) {
  const result = await api("GET", `/calls/${encodeURIComponent(callSid)}`);
  if (result.ok && result.data) {
    state.calls.set(callSid, result.data);
    renderCalls();
  }
}

/** Opens the confirm dialog; resolves true only when the agent confirms. Esc or Cancel answer false. */
function confirmAction(title, message, confirmLabel) {
  const opener = document.activeElement;
  el.dialogTitle.textContent = title;
  el.dialogMessage.textContent = message;
  el.dialogOk.textContent = confirmLabel;
  el.dialog.returnValue = "cancel";
  return new Promise((resolve) => {
    el.dialog.addEventListener("close", () => {
      if (opener && typeof opener.focus === "function") opener.focus();
      resolve(el.dialog.returnValue === "confirm");
    }, { once: true });
    el.dialog.showModal();
    $("confirm-cancel").focus(); // the safe choice has focus: Enter does not hang up by accident
  });
}

function transferTarget() {
  if (el.target.value !== OTHER_ADDRESS) return el.target.value;
  return el.address.value.trim();
}

el.target.addEventListener("change", showAddressField);

el.transferForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const call = state.calls.get(state.selected);
  if (!call || state.busy) return;
  const mode = event.submitter && event.submitter.value === "conference" ? "conference" : "cold";
  const to = transferTarget();
  if (mode === "cold" && !to) {
    setStatus("error", "Choose an agent or type an address to transfer to.");
    (el.target.value === OTHER_ADDRESS ? el.address : el.target).focus();
    return;
  }
  const room = el.room.value.trim();
  const who = callerText(call);
  const confirmed = mode === "cold"
    ? await confirmAction("Transfer this call?", `The call from ${who} will leave its current agent and ring ${to}.`, "Transfer")
    : await confirmAction("Start a conference?", `The call from ${who} moves to conference room ${room || "(generated)"}; its agent is called back into the room${to ? ` and ${to} is invited` : ""}.`, "Start conference");
  if (!confirmed) { setStatus("idle", "Nothing was changed."); return; }
  const body = { callSid: call.callSid, to: to || undefined, mode };
  if (mode === "conference" && room) body.room = room;
  await runAction(
    mode === "cold" ? `Transferring the call from ${who} to ${to}…` : `Starting a conference for the call from ${who}…`,
    () => api("POST", "/transfer", body),
    (t) => mode === "cold" ? `Transfer to ${t.to} ${t.state}.` : `Conference in room ${t.room} ${t.state}.`);
});

el.inviteForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const call = state.calls.get(state.selected);
  const room = call && conferenceRoom(call);
  const to = el.inviteTo.value.trim();
  if (!room || state.busy) return;
  if (!to) { setStatus("error", "Type who to invite: an agent name, client:name, sip:… or a number."); el.inviteTo.focus(); return; }
  const result = await runAction(
    `Inviting ${to} into room ${room}…`,
    () => api("POST", `/conferences/${encodeURIComponent(room)}/participants`, { to }),
    (t) => `${t.to} invited into room ${room} (${t.state}).`);
  if (result.ok) el.inviteTo.value = "";
});

el.mute.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  if (!call || state.busy) return;
  const muted = !call.muted;
  await runAction(
    muted ? `Muting the call from ${callerText(call)}…` : `Unmuting the call from ${callerText(call)}…`,
    () => api("POST", `/calls/${encodeURIComponent(call.callSid)}/mute`, { muted }),
    () => (muted ? "Call muted." : "Call unmuted."));
});

el.hangUp.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  if (!call || state.busy) return;
  const who = callerText(call);
  if (!await confirmAction("Hang up this call?", `The call from ${who} will be ended for everyone on it.`, "Hang up")) {
    setStatus("idle", "Nothing was changed.");
    return;
  }
  await runAction(
    `Hanging up the call from ${who}…`,
    () => api("POST", `/calls/${encodeURIComponent(call.callSid)}/hangup`),
    () => `The call from ${who} was hung up.`);
});

// ---------- start ----------

el.signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const key = el.apiKey.value.trim();
  if (!key) { el.signInError.textContent = "Enter an agent API key."; el.apiKey.focus(); return; }
  signIn(key, false);
});
el.signOut.addEventListener("click", () => signOut("Signed out."));

const saved = sessionStorage.getItem(KEY_STORAGE);
if (saved) signIn(saved, true);
else el.apiKey.focus();
