// Worker bootstrap for an unbuilt checkout (spawn.ts): registers tsx's loader in this thread,
// then imports the .ts worker module named as the last argument.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[process.argv.length - 1]);
