import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Grouped = Record<string, ValidationMetadata[]>;

const MEMOIZED = Symbol.for('clp.class-validator.memoized');

/**
 * Makes class-validator look a class's rules up once instead of on every `validate`.
 *
 * Its metadata storage resolves a class's rules, inherited ones included, by testing every
 * decorated class of the process for being an ancestor, then groups them by property; it does
 * both on every call and for every nested object (typestack/class-validator#2686). On a hot route
 * that was a tenth of the work of a request. The result only changes when rules are added, which
 * happens as classes are loaded: adding one forgets everything remembered.
 *
 * Idempotent: the storage is the process's single instance and is wrapped once.
 */
export const memoizeValidationMetadata = (): void => {
  const storage = getMetadataStorage() as MetadataStorage & { [MEMOIZED]?: true };
  if (storage[MEMOIZED]) return;
  storage[MEMOIZED] = true;

  let resolved = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();

  const add = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    resolved = new WeakMap();
    grouped = new WeakMap();
    add(metadata);
  };

  const resolve = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = resolved.get(target);
    if (!byOptions) resolved.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = resolve(target, schema, always, strictGroups, groups)));
    return rules;
  };

  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
};
