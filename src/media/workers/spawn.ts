// Starts a worker thread on a module of this source tree, compiled (.js) or not (.ts). A .ts
// entry (the checkout run through tsx, or vitest) gets a small bootstrap that registers tsx's
// loader inside the new thread first: Node 20 does not hand the parent's module hooks to workers.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `entry`: the worker module's URL as seen from its sibling (`new URL('./x.js', import.meta.url)`);
 * when the caller itself runs from a .ts file the .ts twin is started through tsx.
 */
export function spawnModuleWorker(entry: URL, callerUrl: string, options: WorkerOptions = {}): Worker {
  // Process-wide V8 heap flags (bin/vphone's --max-semi-space-size, --no-memory-reducer) hold for
  // the workers already; a Worker refuses them in execArgv (ERR_WORKER_INVALID_EXEC_ARGV).
  // Same for V8's profiling flags (--perf-basic-prof for `perf`), which hold process-wide too.
  const heapFlag = /^--(max-semi-space-size|max-old-space-size|min-semi-space-size|no-memory-reducer|perf-basic-prof|perf-prof|interpreted-frames-native-stack)/;
  const inherited = (options.execArgv ?? process.execArgv).filter((a) => !heapFlag.test(a));
  if (!callerUrl.endsWith('.ts')) return new Worker(entry, { ...options, execArgv: inherited });
  const ts = new URL(entry.href.replace(/\.js$/, '.ts'));
  // Flags naming a loader (--import tsx, vitest's) are not for the bootstrap; --cpu-prof etc. stay.
  const execArgv = inherited.filter((a, i, all) => !/tsx|vitest|loader/.test(a) && !(/^--(import|loader|experimental-loader|require)$/.test(a) && /tsx|vitest|loader/.test(all[i + 1] ?? '')));
  return new Worker(new URL('./tsx-boot.mjs', import.meta.url), { ...options, execArgv, argv: [...(options.argv ?? []), ts.href] });
}
