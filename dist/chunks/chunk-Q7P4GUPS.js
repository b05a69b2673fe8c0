import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ActionError
} from "./chunk-ENXQ43ZO.js";

// src/codex/errors.ts
var InstallError = class extends ActionError {
};

// src/codex/npmrc.ts
function parseNpmrc(text, env) {
  const settings = /* @__PURE__ */ new Map();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").replace(/\$\{([^}]+)\}/g, (_, name) => env[name] ?? "");
    settings.set(key, value);
  }
  return settings;
}
function mergeNpmrcs(layers) {
  return new Map(layers.flatMap((layer) => [...layer]));
}
function credentialFor(url, settings) {
  const { host, pathname } = new URL(url);
  const segments = pathname.split("/").slice(1, -1);
  for (let depth = segments.length; depth >= 0; depth--) {
    const prefix = `//${host}/${segments.slice(0, depth).map((segment) => `${segment}/`).join("")}`;
    const token = settings.get(`${prefix}:_authToken`);
    if (token) return { kind: "bearer", token };
    const auth = settings.get(`${prefix}:_auth`);
    if (auth) return { kind: "basic", auth };
  }
  return void 0;
}
function authorizationHeader(credential) {
  if (!credential) return {};
  return {
    authorization: credential.kind === "bearer" ? `Bearer ${credential.token}` : `Basic ${credential.auth}`
  };
}

export {
  InstallError,
  parseNpmrc,
  mergeNpmrcs,
  credentialFor,
  authorizationHeader
};
