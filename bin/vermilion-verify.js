#!/usr/bin/env node
// `npx vermilion-verify …`: runs scripts/verify.ts through tsx from node_modules (no build step).
import { register } from "tsx/esm/api";

register();
await import("../scripts/verify.ts");
