/**
 * The platform: the processors and the rank layer the core runs on, registered with the
 * core's registries (core/processor.ts, core/replication.ts) when the package is imported,
 * as Arrow JS attaches its platform adapters at its entry. The core itself names none of
 * them. The rank layer is used only when the process is one of several MPI ranks.
 */
import { adviseHugePages } from "./backends/cpu/huge_pages.js";
import { CpuWorkers } from "./backends/cpu/processor.js";
import { WebgpuProcessor } from "./backends/webgpu/processor.js";
import { compileLibrary } from "./backends/cpu/native.js";
import { registerCompiler, registerCpu, registerDevice, registerHostAdvice, registerReplication, registerWorkerPlatform } from "./core/index.js";
import { startRanks } from "./ranks/replication.js";

registerCpu((ctx) => new CpuWorkers(ctx));
registerHostAdvice(adviseHugePages);
registerCompiler(compileLibrary);
registerWorkerPlatform(new URL("./worker_platform.js", import.meta.url).href);
registerDevice("webgpu", (ctx, memory) => new WebgpuProcessor(ctx, memory));
registerReplication(startRanks);
