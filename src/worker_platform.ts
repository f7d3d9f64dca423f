/**
 * The platform of the library's own worker threads (the Parquet decoders): the C compiler
 * behind compiledLibrary, registered as platform.ts does on the main thread and the CPU
 * worker does in its threads. Nothing else: these threads launch no tasks.
 */
import { compileLibrary } from "./backends/cpu/native.js";
import { registerCompiler } from "./core/task_api.js";

registerCompiler(compileLibrary);
