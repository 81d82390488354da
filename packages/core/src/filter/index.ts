export {
  FILTER_LIMITS,
  type FilterCompareOp,
  type FilterCondition,
  type FilterField,
  type FilterInput,
  type FilterMetaName,
  type FilterNode,
  type FilterScalar,
} from './filter-node';
export { parseFilter } from './parse-filter';
export { filterFromJson, filterToJson, type FilterJson, type FilterJsonCondition } from './filter-json';
export { compileFilter, type FilterPredicate } from './compile-filter';
export { andFilters } from './and-filters';
export { formatFilter } from './format-filter';
export { filterJsonSchema } from './filter-json-schema';
