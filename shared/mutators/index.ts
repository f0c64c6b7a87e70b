export * from './context';
export * from './registry';
export { callLineId } from './capital-calls';
export { indexLevelId } from './valuations';
export { loadRules, countedTotals, fundCapital } from './queries';
