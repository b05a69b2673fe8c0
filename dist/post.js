import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  State,
  createStorage,
  readAuthFile,
  readConfig,
  runStep,
  writeSummary
} from "./chunks/chunk-NMJMX6HE.js";
import "./chunks/chunk-4JGZVT3B.js";
import {
  AuthFileError,
  SaveError,
  maskSecretInputs,
  maskSession,
  parseAuthJson
} from "./chunks/chunk-5X4U4RVG.js";
import {
  getState,
  info,
  notice,
  warning
} from "./chunks/chunk-QXXKE3CI.js";

// src/persist.ts
import { setTimeout as sleep } from "node:timers/promises";
async function persistSession(input) {
  if (input.startFingerprint === "") return { kind: "no-session" };
  const current = await readSessionWithRetry(input);
  if (current.kind !== "session") return current;
  const session = current.session;
  maskSession(session);
  if (session.fingerprint === input.startFingerprint) return { kind: "unchanged", session };
  return { session, ...await input.storage.save(session) };
}
async function readSessionWithRetry(input) {
  const retries = input.readRetries ?? 10;
  let problem = "";
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(input.retryDelayMs ?? 200);
    const text = await readAuthFile(input.codexHome);
    if (text === void 0) return { kind: "missing" };
    try {
      return { kind: "session", session: parseAuthJson(text) };
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error;
      problem = error.message;
    }
  }
  return { kind: "corrupt", problem };
}

// src/post.ts
await runStep(async () => {
  const codexHome = getState(State.CodexHome);
  const startFingerprint = getState(State.StartFingerprint);
  if (codexHome === "" || startFingerprint === "") {
    info("Nothing to store: the main step stopped before it set up a session.");
    return;
  }
  const config = readConfig();
  maskSecretInputs(config);
  const storage = await createStorage(config);
  let outcome;
  try {
    outcome = await persistSession({ codexHome, startFingerprint, storage });
  } catch (error) {
    if (!(error instanceof SaveError)) throw error;
    throw new SaveError(lostSessionMessage(error.message, codexHome));
  }
  await report(outcome, codexHome, storage);
});
async function report(outcome, codexHome, storage) {
  switch (outcome.kind) {
    case "no-session":
      return;
    case "missing":
      warning(
        `${codexHome}/auth.json is gone (removed by a later step, or codex logout): nothing to store.`
      );
      return;
    case "corrupt":
      throw new SaveError(
        `${codexHome}/auth.json is not a usable session any more, so it was not stored: ${outcome.problem} The stored session was left as it was. If Codex refreshed the session during this job, that stored copy is now used up: sign in again with \`codex login\` and update the auth-json secret.`
      );
    case "unchanged": {
      info("The session did not change during this job: nothing to store.");
      const writable = await storage.checkWritable();
      if (!writable.ok)
        notice(`This run could not have stored a refreshed session: ${writable.reason}.`);
      return;
    }
    case "already-stored":
      info("The refreshed session is already stored.");
      return;
    case "saved":
      info(
        `Stored the refreshed session (last refresh ${outcome.session.lastRefresh}) in ${outcome.where}.`
      );
      await writeSummary("Codex session stored", [
        ["stored in", outcome.where],
        ["last refresh", outcome.session.lastRefresh]
      ]);
      return;
    case "newer-stored":
      throw new SaveError(
        `The refreshed session was NOT stored: a newer one (last refresh ${outcome.stored.lastRefresh}) is already stored, and an older session never replaces a newer one. Another job is using the same session at the same time; only one of the two refresh chains can stay valid. Give each concurrent user its own sign-in, or serialise the jobs with a concurrency group.`
      );
  }
}
function lostSessionMessage(reason, codexHome) {
  return `The refreshed session could not be stored: ${reason}. It now exists only in ${codexHome}/auth.json on this runner, and the stored copy (or the secret) holds a refresh token that no longer works. To recover: copy that auth.json from this runner into the auth-json secret if the runner is still up; otherwise run \`codex login\` on a trusted machine and update the secret.`;
}
