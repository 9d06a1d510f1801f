// Lint rules that keep the architecture honest (../shared/ARCHITECTURE.md):
// only SystemClock touches real timers or wall time; src/* never imports firmware-sim;
// only transport adapters touch sockets.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const timerGlobals = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'].map((name) => ({
  name,
  message: 'Use the injected Clock (src/core/clock.ts); only SystemClock may touch real timers.',
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'build/', 'native/**/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'firmware-sim/**/*.ts'],
    ignores: ['src/core/system-clock.ts'],
    rules: {
      'no-restricted-globals': ['error', ...timerGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use clock.now() / clock.wallTime(); only SystemClock reads real time.' },
        { object: 'performance', property: 'now', message: 'Use the injected Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use clock.wallTime(); only SystemClock reads real time.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/firmware-sim/**', '../../firmware-sim/*'], message: 'src/* never imports firmware-sim (arrows point down).' }] },
      ],
    },
  },
);
