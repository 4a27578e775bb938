/**
 * Jest transformer for ESM-only dependencies (NestJS 12, graphql-ws 6): Node 20's jest runtime cannot
 * require(esm), so these files are transpiled to CommonJS. `import.meta.url` has no CommonJS form in
 * TypeScript's emitter, so it is rewritten to the file URL of the module first.
 */
const ts = require('typescript');
const crypto = require('node:crypto');

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('esm-to-cjs-v3').update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const patched = source
      // ESM code that builds its own `require` clashes with CommonJS's: the wrapper already provides one.
      .replace(/(?:const|let|var)\s+require\s*=\s*(?:\(0,\s*)?[\w$.]*createRequire\)?\([^;]*\);?/g, '')
      // ...and so do ESM shims that declare their own __dirname / __filename.
      .replace(/(?:const|let|var)\s+(?:__dirname|__filename)\s*=[^;\n]*;?/g, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename');
    const out = ts.transpileModule(patched, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true, sourceMap: false },
    });
    return { code: out.outputText };
  },
};
