import { settingDocs } from "../core/index.js";

type Section = ReturnType<typeof settingDocs>[number]["section"];

/** docs/configuration.md, generated from the settings table in src/core/settings.ts (`npm run docs:config`). */
export function configurationDoc(): string {
  const sections = new Map<Section, string[]>();
  for (const s of settingDocs()) {
    const rows = sections.get(s.section) ?? [];
    rows.push(`| \`${s.name}\` | ${s.doc} | ${s.shown} |`);
    sections.set(s.section, rows);
  }
  const tables = [...sections].map(([title, rows]) =>
    [`## ${title}`, "", "| variable | what it does | default |", "|---|---|---|", ...rows].join("\n"),
  );
  return `${[INTRO, ...tables, TAIL].join("\n\n")}\n`;
}

const INTRO =
  "# Configuration\n\nTessera reads its settings from `TESSERA_*` environment variables when the runtime starts, so a\nprogram never changes to run on another machine shape. This page is generated from the\nsettings table in `src/core/settings.ts` (`npm run docs:config`).\n`npx tessera run --cpus N --gpus N --ranks N --profile FILE --log TOPICS script.js` sets the\ncommon ones for you ([ranks.md](ranks.md#tessera-run-and-tessera-info)), and\n`npx tessera info [--json]` prints the machine the runtime would use. Set them before the\nprogram starts, or before it first imports Tessera: most are read when the runtime or its\nmodules load. In a browser the same names live in `globalThis.TESSERA_ENV`, set through\n`ready({ cpus, gpus, env })` ([browser.md](browser.md)).";

const TAIL =
  "`tessera run --ranks N` passes every `TESSERA_*` variable on to the ranks (`mpirun -x`).\n\n## Tests only\n\n| variable | what it does | default |\n|---|---|---|\n| `TESSERA_CI` | `1` (set by `.ci/run`): a missing C compiler, MPI or Chromium fails the tests that need it instead of skipping them | unset: those tests skip |\n| `TESSERA_CHROMIUM` | the browser binary `test/browser/` starts | the first of `chromium`, `chromium-browser`, `google-chrome` on `PATH` |\n| `TESSERA_BAD_INPUT_SUMMARY` | set: `test/numpy/bad_inputs.test.ts` prints how many cases match NumPy's class, message and result | unset |\n\nSet by tests for the child processes they start, never by hand: `TESSERA_DIST_PROGRAM`,\n`TESSERA_DIST_CASE`, `TESSERA_DIST_TMP` (multi-rank programs), `TESSERA_KERNEL_PATHS_OUT` (JS\nagainst C kernels), `TESSERA_NATIVE_CACHE_PROGRAM`, `TESSERA_TEST_MARKER`,\n`TESSERA_TEST_TARGET`, `TESSERA_TEST_BREAK` (the kernel-cache attacks). How the suite uses the\nmachine-shape settings: [testing.md](testing.md).";
