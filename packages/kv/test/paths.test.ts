import { ValidationError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { KvStore, pathKey } from '../src/index.js';
import { eachBackend, text } from './helpers.js';

describe('pathKey', () => {
  it('maps a path to its own text, and an array of segments to the same key', () => {
    expect(pathKey('users/alice/email')).toBe('users/alice/email');
    expect(pathKey(['users', 'alice', 'email'])).toBe('users/alice/email');
    expect(pathKey('single')).toBe('single');
  });

  it.each([
    ['empty', ''],
    ['leading slash', '/users/alice'],
    ['trailing slash', 'users/alice/'],
    ['doubled slash', 'users//alice'],
    ['dot-dot', 'users/../admin'],
    ['just dot-dot', '..'],
    ['dot', 'users/./alice'],
    ['NUL', 'users/al\0ice'],
    ['slash inside a segment', ['users', 'a/b']],
    ['empty segment list', []],
    ['non-string segment', ['users', 1 as unknown as string]],
    ['not a path at all', 42 as unknown as string],
  ])('rejects a path with %s', (_name, path) => {
    let caught: unknown;
    try {
      pathKey(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({ code: 6000, field: 'path' });
  });
});

describe.each(
  eachBackend(({ storage }) => {
    it('stores and reads hierarchical data (seed: Path API)', async () => {
      const kv = new KvStore(storage());
      await kv.putPath('users/alice/email', 'alice@example.com');
      await kv.putPath('users/alice/age', '30');
      await kv.putPath('users/alice/settings/theme', 'dark');
      const email = await kv.getPath('users/alice/email');
      expect(`Alice's email: ${email}`).toBe("Alice's email: alice@example.com");
      expect(text(await kv.scanPrefix('users/alice/').toArray())).toEqual([
        'users/alice/age: 30',
        'users/alice/email: alice@example.com',
        'users/alice/settings/theme: dark',
      ]);
      expect((await kv.get('users/alice/age'))!.toString()).toBe('30');
      await kv.deletePath(['users', 'alice', 'age']);
      expect(await kv.getPath('users/alice/age')).toBeNull();
    });

    it('writes nothing when a path is invalid', async () => {
      const kv = new KvStore(storage());
      await expect(kv.putPath('users/../etc', 'x')).rejects.toBeInstanceOf(ValidationError);
      await expect(kv.getPath('a//b')).rejects.toBeInstanceOf(ValidationError);
      await expect(kv.deletePath('')).rejects.toBeInstanceOf(ValidationError);
      expect(await kv.scanPrefix('').toArray()).toEqual([]);
    });
  }),
)('paths on %s storage', (_name, suite) => suite());
