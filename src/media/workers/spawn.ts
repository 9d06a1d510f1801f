// Starts a worker thread on a module of this source tree, compiled (.js) or not (.ts). A .ts
// entry (the checkout run through tsx, or vitest) gets a small bootstrap that registers tsx's
// loader inside the new thread first: Node 20 does not hand the parent's module hooks to workers.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `entry`: the worker module's URL as seen from its sibling (`new URL('./x.js', import.meta.url)`);
 * when the caller itself runs from a .ts file the .ts twin is started through tsx.
 */
export function spawnModuleWorker(entry: URL, callerUrl: string, options: WorkerOptions = {}): Worker {
  const inherited = options.execArgv ?? process.execArgv;
  if (!callerUrl.endsWith('.ts')) return newWorker(entry, { ...options, execArgv: inherited });
  const ts = new URL(entry.href.replace(/\.js$/, '.ts'));
  // Flags naming a loader (--import tsx, vitest's) are not for the bootstrap; --cpu-prof etc. stay.
  const execArgv = inherited.filter((a, i, all) => !/tsx|vitest|loader/.test(a) && !(/^--(import|loader|experimental-loader|require)$/.test(a) && /tsx|vitest|loader/.test(all[i + 1] ?? '')));
  return newWorker(new URL('./tsx-boot.mjs', import.meta.url), { ...options, execArgv, argv: [...(options.argv ?? []), ts.href] });
}

/**
 * V8 flags of the process (bin/vphone's --max-semi-space-size and --no-memory-reducer, --trace-gc,
 * --perf-basic-prof…) hold for every thread already, and a Worker refuses them in its execArgv
 * (ERR_WORKER_INVALID_EXEC_ARGV, which names them): they are dropped and the worker started again.
 */
function newWorker(url: URL, options: WorkerOptions): Worker {
  try {
    return new Worker(url, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const named = (error as Error).message.replace(/^[^:]*:\s*/, '');
    const refused = new Set(named.split(/,\s*/).map((f) => f.trim()));
    const execArgv = (options.execArgv ?? []).filter((a) => !refused.has(a));
    if (execArgv.length === (options.execArgv ?? []).length) throw error;
    return new Worker(url, { ...options, execArgv });
  }
}
