import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  State,
  authFilePath,
  createStorage,
  readConfig,
  readSession,
  runStep,
  writeSummary
} from "./chunks/chunk-7SQ3R67X.js";
import "./chunks/chunk-ZRIW3VFI.js";
import {
  SaveError,
  maskSecretInputs
} from "./chunks/chunk-5UWB336W.js";
import {
  getState,
  info,
  notice,
  warning
} from "./chunks/chunk-VKEKYMAO.js";

// src/persist.ts
async function persistSession(input) {
  const { codexHome, storage } = input;
  const file = authFilePath(codexHome);
  const onDisk = await readSession(codexHome, { retries: input.readRetries ?? 10 });
  switch (onDisk.kind) {
    case "missing":
      if (input.refreshedFingerprint !== "") {
        throw new SaveError(lostSessionMessage(`${file} is gone`, codexHome));
      }
      return { kind: "missing" };
    case "corrupt":
      throw new SaveError(
        `${file} is not a usable session any more, so it was not stored: ${onDisk.problem} The stored session was left as it was. If Codex refreshed the session during this job, that stored copy is now used up: sign in again with \`codex login\` and update the auth-json secret.`
      );
  }
  const { session } = onDisk;
  if (session.fingerprint === input.startFingerprint) return { kind: "unchanged", session };
  try {
    return { session, ...await storage.save(session) };
  } catch (error) {
    if (!(error instanceof SaveError)) throw error;
    throw new SaveError(lostSessionMessage(error.message, codexHome));
  }
}
async function reportPersisted(outcome, codexHome, storage) {
  switch (outcome.kind) {
    case "missing":
      warning(
        `${authFilePath(codexHome)} is gone (removed by a later step, or codex logout): nothing to store.`
      );
      return;
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
  return `The refreshed session could not be stored: ${reason}. It now exists only in ${authFilePath(codexHome)} on this runner (if at all), and the stored copy (or the secret) holds a refresh token that no longer works. To recover: copy that auth.json from this runner into the auth-json secret if the runner is still up; otherwise run \`codex login\` on a trusted machine and update the secret.`;
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
  const refreshedFingerprint = getState(State.RefreshedFingerprint);
  const outcome = await persistSession({
    codexHome,
    startFingerprint,
    refreshedFingerprint,
    storage
  });
  await reportPersisted(outcome, codexHome, storage);
});
