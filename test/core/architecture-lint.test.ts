// The lint rules that keep the architecture (ARCHITECTURE.md): only SystemClock touches real
// timers and time; src/* never imports firmware-sim. Checked on snippets with the real config.
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('architecture lint rules', () => {
  it('forbid real timers and time outside SystemClock', async () => {
    expect(await ruleIds('setTimeout(() => {}, 5);\n', 'src/sip/example.ts')).toContain('no-restricted-globals');
    expect(await ruleIds('export const t = Date.now();\n', 'firmware-sim/example.ts')).toContain('no-restricted-properties');
    expect(await ruleIds('export const d = new Date();\n', 'src/phone/example.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds('setTimeout(() => {}, 5);\n', 'src/core/system-clock.ts')).not.toContain('no-restricted-globals');
    // Tests may use real timers (e.g. to SIGKILL a child at an arbitrary moment).
    expect(await ruleIds('setTimeout(() => {}, 5);\n', 'test/example.test.ts')).not.toContain('no-restricted-globals');
  });

  it('forbid src/* importing firmware-sim', async () => {
    const code = "import { Device } from '../../firmware-sim/device.js';\nexport const x = Device;\n";
    expect(await ruleIds(code, 'src/phone/example.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code.replace('../../', '../'), 'firmware-sim/services/example.ts')).not.toContain('no-restricted-imports');
  });
});
