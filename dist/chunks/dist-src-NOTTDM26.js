import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Octokit
} from "./chunk-ZTLVT5BS.js";
import "./chunk-HANBNIMK.js";
export {
  Octokit
};
