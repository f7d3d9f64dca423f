// Writes docs/configuration.md from the settings table (src/core/settings.ts). Run by `npm run docs:config`.
import { writeFileSync } from "node:fs";
import { configurationDoc } from "../dist/src/cli/configuration_doc.js";

writeFileSync(new URL("../docs/configuration.md", import.meta.url), configurationDoc());
