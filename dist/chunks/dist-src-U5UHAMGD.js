import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{Octokit}from"./chunk-X3RMF53A.js";import"./chunk-YZASLWB7.js";export{Octokit};
