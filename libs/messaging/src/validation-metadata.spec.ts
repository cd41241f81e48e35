import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, MaxLength, validate } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata';

class Base {
  @IsString()
  name!: string;
}

class Derived extends Base {
  @IsInt()
  count!: number;
}

const rulesOf = (target: new () => object) => getMetadataStorage().getTargetValidationMetadatas(target, '', false, false);
const failed = async (target: object) => (await validate(target)).map((error) => error.property).sort();
const derived = (fields: object) => Object.assign(new Derived(), fields);

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('resolves a class, its ancestors included, once', async () => {
    expect(rulesOf(Derived)).toBe(rulesOf(Derived));
    expect(rulesOf(Derived).map((rule) => rule.propertyName).sort()).toEqual(['count', 'name']);
    expect(await failed(derived({ name: 1, count: 'x' }))).toEqual(['count', 'name']);
    expect(await failed(derived({ name: 'a', count: 1 }))).toEqual([]);
  });

  it('sees a rule added after a class was validated', async () => {
    expect(await failed(derived({ name: 'a'.repeat(20), count: 1 }))).toEqual([]);
    MaxLength(8)(Base.prototype, 'name');
    expect(await failed(derived({ name: 'a'.repeat(20), count: 1 }))).toEqual(['name']);
  });

  it('is applied once however often it is called', async () => {
    memoizeValidationMetadata();
    expect(rulesOf(Derived)).toBe(rulesOf(Derived));
    expect(await failed(derived({ name: 'a', count: 1.5 }))).toEqual(['count']);
  });
});
