// AppServer agent console: sign-in, the live call list, the chosen call's actions. Plain ES modules, no build step.
// Every value from the server reaches the page through textContent or DOM properties, never innerHTML:
// caller names and SIP headers come from the phone network and may hold markup.
import { api, problemText, setApiKey } from "./js/agent-api.js";
import { openEventStream } from "./js/event-stream.js";
import { byNewestFirst, callerText, conferenceRoom, durationText, isEnded, legName, liveLegs, stateText } from "./js/call-format.js";
import { latestTransfer, outcomeOf } from "./js/outcome.js";
import { participantItem } from "./js/participants.js";
import { historyItem } from "./js/transfer-history.js";

const KEY_STORAGE = "appserver.agentKey"; // sessionStorage: the key dies with the tab, never on disk

const $ = (id) => document.getElementById(id);
const el = {
  session: $("session"), connection: $("connection"), signOut: $("sign-out"),
  signedInAs: $("signed-in-as"), myCalls: $("my-calls"),
  signIn: $("sign-in"), signInForm: $("sign-in-form"), apiKey: $("api-key"), signInError: $("sign-in-error"),
  signInButton: $("sign-in-button"),
  console: $("console"), status: $("status"),
  noCalls: $("no-calls"), table: $("calls-table"), rows: $("calls-body"),
  detailHeading: $("detail-heading"), detailEmpty: $("detail-empty"), detailBody: $("detail-body"),
  factState: $("fact-state"), factStatus: $("fact-status"), factAgent: $("fact-agent"), factMuted: $("fact-muted"),
  factRoom: $("fact-room"), factSid: $("fact-sid"),
  outcome: $("outcome"), outcomeText: $("outcome-text"), consultButtons: $("consult-buttons"),
  completeTransfer: $("complete-transfer"), cancelTransfer: $("cancel-transfer"),
  participants: $("participants"), participantsList: $("participants-list"), endRoom: $("end-room"), hold: $("hold"),
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
  rowsBySid: new Map(),   // callSid → <tr> of a call shown at the top level
  legRowsBySid: new Map(), // leg callSid → <tr> under its customer's row
  selected: null,         // callSid
  me: null,               // { name, named } of GET /me
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
  const me = await api("GET", "/me");
  state.me = me.ok ? me.data : null;
  showWhoIsSignedIn();
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
  state.legRowsBySid.clear();
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
    for (const row of [...state.rowsBySid.values(), ...state.legRowsBySid.values()]) row.remove();
    state.rowsBySid.clear();
    state.legRowsBySid.clear();
  }
  for (const call of calls) state.calls.set(call.callSid, call);
  renderCalls();
}

function setConnection(kind, text) {
  el.connection.dataset.state = kind;
  el.connection.textContent = text;
}

// ---------- call list ----------

/** A leg AppServer knows the customer of is shown under that customer's row, not as a call of its own. */
const isTopLevel = (call) => !call.customerCallSid || !state.calls.has(call.customerCallSid);

/** Who the key belongs to: an agent's own key names them; a shared key (AppServer:ApiKeys) names nobody. */
function showWhoIsSignedIn() {
  const named = Boolean(state.me?.named);
  el.signedInAs.textContent = named ? `Signed in as ${state.me.name}` : "Signed in with a shared key";
  el.myCalls.disabled = !named;
  if (!named) el.myCalls.checked = false;
  el.myCalls.parentElement.title = named ? "Only calls you answered or acted on" : "A shared key names no agent";
}

/** A call the signed-in agent answered (its agent, or a leg's) or acted on (a transfer or other action they asked for). */
const isMine = (call) => {
  const name = state.me?.name;
  return call.agent === name || (call.legs || []).some((l) => l.agent === name)
    || (call.transfers || []).some((t) => t.requestedBy === name);
};

function renderCalls() {
  const mineOnly = el.myCalls.checked && Boolean(state.me?.named);
  const calls = [...state.calls.values()].filter(isTopLevel).filter((c) => !mineOnly || isMine(c)).sort(byNewestFirst);
  el.noCalls.hidden = calls.length > 0;
  el.table.hidden = calls.length === 0;
  const wanted = [];
  const legsShown = new Set();
  for (const call of calls) {
    let row = state.rowsBySid.get(call.callSid);
    if (!row) {
      row = createRow(call.callSid);
      state.rowsBySid.set(call.callSid, row);
    }
    fillRow(row, call);
    wanted.push(row);
    if (isEnded(call)) continue;
    for (const leg of liveLegs(call)) {
      let legRow = state.legRowsBySid.get(leg.callSid);
      if (!legRow) {
        legRow = createLegRow(leg.callSid);
        state.legRowsBySid.set(leg.callSid, legRow);
      }
      fillLegRow(legRow, leg, call);
      wanted.push(legRow);
      legsShown.add(leg.callSid);
    }
  }
  // Calls that became legs of a known customer, and legs that ended, leave the list.
  for (const [sid, row] of state.rowsBySid) if (!calls.some((c) => c.callSid === sid)) { row.remove(); state.rowsBySid.delete(sid); }
  for (const [sid, row] of state.legRowsBySid) if (!legsShown.has(sid)) { row.remove(); state.legRowsBySid.delete(sid); }
  // Move only rows that are out of place: moving a node takes focus away from a button inside it.
  wanted.forEach((row, index) => {
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

function createLegRow(callSid) {
  const row = document.createElement("tr");
  row.className = "leg";
  row.dataset.legSid = callSid;
  for (const name of ["caller", "called", "status", "agent", "duration"]) {
    const cell = document.createElement("td");
    cell.className = name;
    row.append(cell);
  }
  const badge = document.createElement("span");
  badge.className = "badge";
  row.cells[2].append(badge);
  return row;
}

function fillRow(row, call) {
  const caller = callerText(call);
  const button = row.cells[0].firstChild;
  button.textContent = caller;
  button.setAttribute("aria-label", `Caller ${caller}, ${stateText(call)}: show actions`);
  row.cells[1].textContent = call.to || "—";
  const badge = row.cells[2].firstChild;
  badge.textContent = stateText(call);
  badge.dataset.state = isEnded(call) ? "ended" : call.state || "";
  badge.title = `Platform status: ${call.callStatus || "unknown"}`;
  row.cells[3].textContent = call.agent || "—";
  row.cells[4].textContent = durationText(call);
  row.classList.toggle("ended", isEnded(call));
  markSelected(row, call.callSid === state.selected);
}

function fillLegRow(row, leg, call) {
  row.cells[0].textContent = `↳ ${legName(leg)}`;
  row.cells[0].title = `Leg ${leg.callSid} of the call from ${callerText(call)}`;
  row.cells[1].textContent = leg.room ? `room ${leg.room}` : leg.to || "—";
  const badge = row.cells[2].firstChild;
  badge.textContent = stateText(leg) + (leg.muted ? ", muted" : "");
  badge.dataset.state = leg.state || "";
  row.cells[3].textContent = leg.agent || "guest";
  row.cells[4].textContent = durationText({ ...leg, talkingSince: leg.answeredAt });
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
  for (const call of state.calls.values()) {
    for (const leg of liveLegs(call)) {
      const row = state.legRowsBySid.get(leg.callSid);
      if (row) row.cells[4].textContent = durationText({ ...leg, talkingSince: leg.answeredAt });
    }
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
  el.factState.textContent = stateSentence(call);
  el.factStatus.textContent = call.callStatus || "unknown";
  el.factAgent.textContent = call.agent || "—";
  el.factMuted.textContent = call.muted ? "yes" : "no";
  const room = conferenceRoom(call);
  el.factRoom.textContent = room || "—";
  el.factSid.textContent = call.callSid;
  el.mute.textContent = call.muted ? "Unmute" : "Mute";
  el.mute.setAttribute("aria-pressed", String(Boolean(call.muted)));
  el.hold.textContent = call.onHold ? "Resume" : "Hold";
  el.hold.setAttribute("aria-pressed", String(Boolean(call.onHold)));
  if (room && !el.room.value) el.room.placeholder = room;
  renderOutcome(call);
  renderParticipants(call);
  updateActionAvailability();
  renderHistory(call);
}

/** "talking with bob", "ringing alice", "on hold", "waiting alone in room R": what the caller experiences. */
function stateSentence(call) {
  if (isEnded(call)) return `ended (${call.callStatus || "ended"})`;
  const legs = liveLegs(call);
  const names = (filter) => legs.filter(filter).map(legName).join(", ");
  switch (call.state) {
    case "on-hold": return "on hold: the caller hears music";
    case "waiting": return `waiting alone in room ${call.room}`;
    case "ringing": return names((l) => l.state === "ringing") ? `ringing ${names((l) => l.state === "ringing")}` : "ringing";
    case "talking":
      if (call.room) return `talking in room ${call.room}`;
      return names((l) => l.state === "talking") ? `talking with ${names((l) => l.state === "talking")}` : "talking";
    default: return stateText(call);
  }
}

function renderOutcome(call) {
  const transfer = latestTransfer(call);
  const outcome = isEnded(call) && transfer?.state !== "canceled" && transfer?.outcome !== "not-connected" ? null : outcomeOf(transfer);
  el.outcome.hidden = !outcome;
  if (!outcome) return;
  el.outcome.dataset.kind = outcome.kind;
  el.outcomeText.textContent = outcome.text;
  el.consultButtons.hidden = !outcome.consulting;
  if (outcome.consulting) {
    el.completeTransfer.textContent = `Complete: hand the caller to ${transfer.to}`;
    el.cancelTransfer.textContent = "Cancel: take the caller back";
    el.completeTransfer.dataset.transferId = transfer.id;
    el.cancelTransfer.dataset.transferId = transfer.id;
  }
}

/** Who is on the call: the legs serving it, or the room's members, each with mute, hold and remove. */
function renderParticipants(call) {
  const others = isEnded(call) ? [] : liveLegs(call).filter((leg) => !call.room || leg.room === call.room);
  el.participants.hidden = others.length === 0;
  el.endRoom.hidden = !call.room || isEnded(call);
  if (call.room) el.endRoom.textContent = `End room ${call.room}`;
  el.participantsList.replaceChildren(...others.map((leg) => participantItem(leg, call.room, {
    busy: state.busy,
    mute: () => muteLeg(leg),
    hold: () => holdLeg(leg),
    remove: () => removeLeg(leg, call.room),
  })));
}

function updateActionAvailability() {
  const call = state.selected ? state.calls.get(state.selected) : null;
  const live = Boolean(call) && !isEnded(call);
  const inConference = live && conferenceRoom(call) !== null;
  for (const control of [...el.transferForm.elements, el.mute, el.hold, el.hangUp]) control.disabled = state.busy || !live;
  // Invite needs a live call in a room: an ended call's room is gone.
  for (const control of el.inviteForm.elements) control.disabled = state.busy || !inConference;
  for (const control of [el.completeTransfer, el.cancelTransfer, el.endRoom]) control.disabled = state.busy || !live;
  for (const button of el.participantsList.querySelectorAll("button")) button.disabled = state.busy || !live;
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
el.myCalls.addEventListener("change", renderCalls);

el.transferForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const call = state.calls.get(state.selected);
  if (!call || state.busy) return;
  const mode = event.submitter && ["conference", "warm"].includes(event.submitter.value) ? event.submitter.value : "cold";
  const to = transferTarget();
  if (mode !== "conference" && !to) {
    setStatus("error", "Choose an agent or type an address to transfer to.");
    (el.target.value === OTHER_ADDRESS ? el.address : el.target).focus();
    return;
  }
  const room = el.room.value.trim();
  const who = callerText(call);
  const confirmed = mode === "cold"
    ? await confirmAction("Transfer this call?", `The call from ${who} will leave its current agent and ring ${to}.`, "Transfer")
    : mode === "warm"
      ? await confirmAction("Warm transfer?",
        `The call from ${who} is put on hold (music) while ${to} is called for you to talk to first; then you hand the caller over or take it back.`,
        "Start warm transfer")
      : await confirmAction("Start a conference?", `The call from ${who} moves to conference room ${room || "(generated)"}; its agent is called back into the room${to ? ` and ${to} is invited` : ""}.`, "Start conference");
  if (!confirmed) { setStatus("idle", "Nothing was changed."); return; }
  const body = { callSid: call.callSid, to: to || undefined, mode };
  if (mode === "conference" && room) body.room = room;
  const progress = {
    cold: `Transferring the call from ${who} to ${to}…`,
    warm: `Putting the call from ${who} on hold and calling ${to}…`,
    conference: `Starting a conference for the call from ${who}…`,
  }[mode];
  await runAction(progress, () => api("POST", "/transfer", body), (t) => ({
    // The platform taking a cold transfer is not the target answering: the outcome banner follows what happens next.
    cold: `Transfer to ${t.to} accepted: ringing ${t.to}…`,
    warm: `Consulting ${t.to}: the caller is on hold.`,
    conference: `Conference in room ${t.room} ${t.state}.`,
  }[mode]));
});

el.completeTransfer.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  const transfer = call && latestTransfer(call);
  if (!transfer || state.busy) return;
  if (!await confirmAction("Hand the caller over?", `The call from ${callerText(call)} joins ${transfer.to}; your own leg is hung up.`, "Hand over")) {
    setStatus("idle", "Nothing was changed.");
    return;
  }
  await runAction(`Handing the caller to ${transfer.to}…`,
    () => api("POST", `/transfers/${encodeURIComponent(transfer.id)}/complete`),
    () => `Warm transfer done: the caller is with ${transfer.to}.`);
});

el.cancelTransfer.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  const transfer = call && latestTransfer(call);
  if (!transfer || state.busy) return;
  await runAction(`Canceling the transfer to ${transfer.to}…`,
    () => api("POST", `/transfers/${encodeURIComponent(transfer.id)}/cancel`),
    () => `Transfer canceled: ${transfer.to} was hung up and the caller is back with you.`);
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

el.hold.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  if (!call || state.busy) return;
  await holdCall(call.callSid, callerText(call), !call.onHold);
});

async function holdCall(callSid, who, hold) {
  await runAction(
    hold ? `Putting ${who} on hold…` : `Taking ${who} off hold…`,
    () => api("POST", `/calls/${encodeURIComponent(callSid)}/hold`, { hold }),
    () => (hold ? `${who} is on hold: they hear music and nobody hears them.` : `${who} is back on the call.`));
}

function muteLeg(leg) {
  if (state.busy) return;
  const muted = !leg.muted;
  runAction(muted ? `Muting ${legName(leg)}…` : `Unmuting ${legName(leg)}…`,
    () => api("POST", `/calls/${encodeURIComponent(leg.callSid)}/mute`, { muted }),
    () => (muted ? `${legName(leg)} is muted.` : `${legName(leg)} is unmuted.`));
}

function holdLeg(leg) {
  if (!state.busy) holdCall(leg.callSid, legName(leg), !leg.onHold);
}

async function removeLeg(leg, room) {
  if (state.busy) return;
  if (!await confirmAction("Remove from the room?", `${legName(leg)} will be hung up and leave room ${room}.`, "Remove")) {
    setStatus("idle", "Nothing was changed.");
    return;
  }
  await runAction(`Removing ${legName(leg)} from room ${room}…`,
    () => api("DELETE", `/conferences/${encodeURIComponent(room)}/participants/${encodeURIComponent(leg.callSid)}`),
    () => `${legName(leg)} was removed from room ${room}.`);
}

el.endRoom.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  const room = call && conferenceRoom(call);
  if (!room || state.busy) return;
  const names = [callerText(call), ...liveLegs(call).filter((l) => l.room === room).map(legName)].join(", ");
  if (!await confirmAction("End the room?", `Everyone in room ${room} will be hung up: ${names}.`, "End room")) {
    setStatus("idle", "Nothing was changed.");
    return;
  }
  await runAction(`Ending room ${room}…`, () => api("POST", `/conferences/${encodeURIComponent(room)}/end`), () => `Room ${room} ended.`);
});

el.hangUp.addEventListener("click", async () => {
  const call = state.calls.get(state.selected);
  if (!call || state.busy) return;
  const who = callerText(call);
  if (!await confirmAction("Hang up this call?", hangUpConsequence(call), "Hang up")) {
    setStatus("idle", "Nothing was changed.");
    return;
  }
  await runAction(
    `Hanging up the call from ${who}…`,
    () => api("POST", `/calls/${encodeURIComponent(call.callSid)}/hangup`),
    () => `The call from ${who} was hung up.`);
});

/** What hanging up will do: a room's customer leaving ends the room for everyone still in it. */
function hangUpConsequence(call) {
  const who = callerText(call);
  const others = liveLegs(call).filter((l) => !call.room || l.room === call.room).map(legName);
  if (call.room && call.roomRole === "customer" && others.length) {
    return `The call from ${who} will be ended, and room ${call.room} with it: ${others.join(", ")} will be hung up too.`;
  }
  return others.length
    ? `The call from ${who} will be ended for everyone on it (${others.join(", ")}).`
    : `The call from ${who} will be ended.`;
}

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
