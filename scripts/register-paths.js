// Resolves the @fulcrum/* aliases of tsconfig.json against the compiled tree in dist/, so the
// services run with plain `node` and share one definition of each library.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');
const tsconfig = require('../tsconfig.json');

tsConfigPaths.register({
  baseUrl: path.resolve(__dirname, '..', 'dist'),
  paths: tsconfig.compilerOptions.paths,
});
