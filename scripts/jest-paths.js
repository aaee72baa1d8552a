// Maps tsconfig.base.json "paths" to Jest's moduleNameMapper (one source of truth for aliases).
const paths = require('../tsconfig.base.json').compilerOptions.paths;
exports.pathsToModuleNameMapper = () =>
  Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]));
