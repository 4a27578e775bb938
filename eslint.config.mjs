import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-control-regex': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'eval is forbidden: user text is never executed' },
        {
          selector: "NewExpression[callee.name='Function']",
          message: 'new Function is forbidden: user text is never executed',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vm', message: 'vm is forbidden' },
            { name: 'node:vm', message: 'vm is forbidden' },
            { name: 'jsonpath-plus', message: 'eval-based JSONPath is forbidden' },
            { name: 'jsonpath', message: 'eval-based JSONPath is forbidden' },
          ],
        },
      ],
    },
  },
  {
    // The console renders payloads, headers and bodies as text: markup in them must stay inert.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'eval is forbidden: user text is never executed' },
        {
          selector: "NewExpression[callee.name='Function']",
          message: 'new Function is forbidden: user text is never executed',
        },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'render text, never HTML' },
        { selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]', message: 'render text, never HTML' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'render text, never HTML' },
      ],
    },
  },
);
