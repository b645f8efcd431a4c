export * from './build.js';
export * from './errors.js';
export * from './fold.js';
export * from './network.js';
export * from './stats.js';
export * from './views.js';
//# sourceMappingURL=index.js.map