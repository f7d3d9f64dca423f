/**
 * The platform of the library's own worker threads (the Parquet decoders), which import it
 * first (platform.ts registers its URL: registerWorkerPlatform): the C compiler behind
 * compiledLibrary, as platform.ts registers it on the main thread and the CPU worker in its
 * threads. Nothing else: these threads launch no tasks.
 */
import { compileLibrary } from "./backends/cpu/native.js";
import { registerCompiler } from "./core/task_api.js";

registerCompiler(compileLibrary);
