import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  PhaseClock,
  annotate,
  authFilePath,
  loadMainState,
  readSession,
  renderSummary,
  runStep,
  sessionAnnotations,
  setUpStep,
  sourceWhere,
  writeSummary
} from "./chunks/chunk-GAJ7RFH6.js";
import "./chunks/chunk-Q4JLL2SL.js";
import "./chunks/chunk-VK5IUB2Z.js";
import {
  describeFsError
} from "./chunks/chunk-R5CF63KH.js";
import {
  isNewer,
  refreshedBefore
} from "./chunks/chunk-3E57OZVL.js";
import {
  Input
} from "./chunks/chunk-D3WQU5D5.js";
import {
  ActionError,
  getInput,
  info,
  warning
} from "./chunks/chunk-ENXQ43ZO.js";
import "./chunks/chunk-HANBNIMK.js";

// src/app/persist.ts
var SessionNotStoredError = class extends ActionError {
};
async function persistSession(input) {
  try {
    return await decide(input);
  } catch (error) {
    throw notStored(error, input.state.codexHome);
  }
}
function notStored(error, codexHome) {
  if (error instanceof SessionNotStoredError) return error;
  const reason = error instanceof ActionError || !error?.code ? String(error?.message ?? error) : describeFsError(error);
  return new SessionNotStoredError(lostSessionMessage(reason.replace(/\.$/, ""), codexHome));
}
async function decide({
  state,
  store,
  now,
  readRetries = 10
}) {
  const { codexHome, start } = state;
  const file = authFilePath(codexHome);
  const onDisk = await readSession(codexHome, { retries: readRetries });
  switch (onDisk.kind) {
    case "missing":
      if (state.refreshedFingerprint !== void 0) throw new Error(`${file} is gone`);
      return { kind: "missing" };
    case "corrupt":
      throw new SessionNotStoredError(
        `${file} is not a usable session any more, so it was not stored: ${onDisk.problem} The stored session was left as it was. If Codex refreshed the session during this job, that stored copy is now used up: sign in again with \`codex login\` and update the auth-json secret.`
      );
  }
  const { session } = onDisk;
  if (session.fingerprint === start.fingerprint) {
    if (state.refreshedFingerprint !== void 0) {
      throw new Error(
        `${file} holds the session this job started from again, although Codex refreshed it during the main step: a later step replaced the refreshed session with the older copy, whose refresh token is used up`
      );
    }
    return { kind: "unchanged", session };
  }
  if (refreshedBefore(session, start.lastRefresh, now)) {
    throw new Error(
      `${file} now holds a session last refreshed at ${session.lastRefresh}, older than the one this job started from (${start.lastRefresh}): a later step replaced it with an older copy, and an older session never replaces a newer one`
    );
  }
  const writable = store.probesByWriting ? { ok: true } : await store.checkWritable();
  if (!writable.ok) throw new Error(`${writable.reason} (to fix: ${writable.fix})`);
  if (!store.keepsSessions) return { kind: "kept-in-place", session };
  return store.exclusive(async () => {
    const head = await store.head();
    if (head.kind === "unavailable") {
      throw new Error(
        `could not check whether a newer session is stored (${head.reason}), so it was not written: an older session must never replace a newer one`
      );
    }
    let checked = head.kind === "version" ? head.version : void 0;
    let checkedReadable = checked === start.storedVersion && start.storedReadable;
    if (checked !== void 0 && checked !== start.storedVersion && !store.readsBack) {
      throw new Error(
        `${store.description} was updated since this job started (version ${checked}, not ${start.storedVersion ?? "none"}): another job stored a session, and its value cannot be read back to compare, so this one was not written over it`
      );
    }
    if (checked !== void 0 && checked !== start.storedVersion) {
      const stored = await store.load();
      switch (stored.kind) {
        case "unavailable":
          throw new Error(
            `could not read the session another job stored meanwhile (${stored.reason}), so this one was not written: an older session must never replace a newer one`
          );
        case "found":
          if (stored.session.fingerprint === session.fingerprint)
            return { kind: "already-stored", session };
          if (isNewer(stored.session, session, now)) throw newerStored(stored.session);
          checked = stored.version;
          checkedReadable = true;
          break;
        case "unreadable":
          warning(
            `The newest stored session cannot be used (${stored.reason}); storing this one as newer.`
          );
          checked = stored.version;
          break;
        case "empty":
          checked = void 0;
      }
    }
    const written = await store.write(session);
    await store.prune(written, checkedReadable ? checked : void 0);
    return { kind: "stored", session, written };
  });
}
function newerStored(stored) {
  return new SessionNotStoredError(
    `The refreshed session was NOT stored: a newer one (last refresh ${stored.lastRefresh}) is already stored, and an older session never replaces a newer one. Another job is using the same session at the same time; only one of the two refresh chains can stay valid, and the next runs start from the stored one. Give each concurrent user its own sign-in, or serialise the jobs with a concurrency group.`
  );
}
function reportPersisted(outcome, codexHome) {
  switch (outcome.kind) {
    case "missing":
      warning(
        `${authFilePath(codexHome)} is gone (removed by a later step, or codex logout): nothing to store. The next run starts from the stored session or the auth-json secret; if Codex refreshed it in a later step, sign in again with \`codex login\` and update the secret.`
      );
      return;
    case "unchanged":
      info("The session did not change during this job: nothing to store.");
      return;
    case "kept-in-place":
      info(
        `The refreshed session (last refresh ${outcome.session.lastRefresh}) stays in ${authFilePath(codexHome)} on this runner (storage: none keeps it there).`
      );
      return;
    case "already-stored":
      info("The refreshed session is already stored.");
      return;
    case "stored":
      info(
        `Stored the refreshed session (last refresh ${outcome.session.lastRefresh}) in ${outcome.written.where}.`
      );
      return;
  }
}
function lostSessionMessage(reason, codexHome) {
  return `The refreshed session could not be stored: ${reason}. It now exists only in ${authFilePath(codexHome)} on this runner (if at all), and the stored copy (or the secret) may hold a refresh token that no longer works. To recover: if the runner is still up, copy that auth.json into the auth-json secret (and into the storage); otherwise run \`codex login\` on a trusted machine and update the secret.`;
}

// src/app/post.ts
async function run() {
  await runStep(async () => {
    if (getInput(Input.Mode).trim() === "verify") {
      info("Nothing to store: verify mode runs no Codex and sets up no session.");
      return;
    }
    const state = loadMainState();
    if (state === void 0) {
      info("Nothing to store: the main step stopped before it set up a session.");
      return;
    }
    const clock = new PhaseClock();
    let setup;
    try {
      setup = await setUpStep(process.env, { checkActor: false });
      const { store } = setup;
      const outcome = await persistSession({ state, store, now: /* @__PURE__ */ new Date() });
      reportPersisted(outcome, state.codexHome);
      clock.end("write back");
      const now = /* @__PURE__ */ new Date();
      const writable = outcome.kind === "unchanged" && !store.probesByWriting ? await store.checkWritable() : void 0;
      const saved = savedFact(outcome, state.codexHome);
      const session = outcome.kind === "missing" ? void 0 : outcome.session;
      annotate(sessionAnnotations({ session, saved, writable, now }));
      await writeSummary(postSummary(state, setup, saved, outcome, clock, now));
    } catch (error) {
      clock.end("write back");
      if (setup)
        await writeSummary(
          postSummary(state, setup, { kind: "not-saved" }, void 0, clock, /* @__PURE__ */ new Date())
        );
      throw notStored(error, state.codexHome);
    }
  });
}
function savedFact(outcome, codexHome) {
  switch (outcome.kind) {
    case "stored":
      return { kind: "saved", where: outcome.written.where };
    case "kept-in-place":
      return { kind: "kept-in-place", where: authFilePath(codexHome) };
    case "already-stored":
      return { kind: "already-saved" };
    case "unchanged":
    case "missing":
      return { kind: outcome.kind };
  }
}
function postSummary(state, { config, store }, saved, outcome, clock, now) {
  const { source, storedVersion } = state.start;
  const generation = outcome?.kind === "stored" ? { version: outcome.written.version, savedAt: now } : outcome?.kind === "unchanged" && storedVersion ? { version: storedVersion } : void 0;
  return renderSummary({
    step: "post",
    mode: config.mode,
    source,
    sourceWhere: sourceWhere(source, authFilePath(state.codexHome), store.description),
    session: outcome && outcome.kind !== "missing" ? outcome.session : void 0,
    refreshed: outcome !== void 0 && outcome.kind !== "unchanged" && outcome.kind !== "missing",
    saved,
    ...generation ? { generation } : {},
    phases: [...state.phases ?? [], ...clock.phases],
    now
  });
}

// src/post.ts
await run();
