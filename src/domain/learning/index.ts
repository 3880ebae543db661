export * from './stats.js';
export * from './compare.js';
export * from './variant.js';
export * from './calibration.js';
export * from './logistic.js';
export * from './report.js';
export * from './funnel.js';
