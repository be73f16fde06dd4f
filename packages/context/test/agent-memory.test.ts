// Agent memory on a real LevelDB folder: episodes recalled within a thread and up to a time,
// facts that supersede each other, all surviving a reopen; a failed episode leaves nothing.
import { ValidationError, type Storage } from '@sochdb/core';
import { levelFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmbeddingFunction } from '@sochdb/vector';
import { AgentMemory } from '../src/index.js';

let factory: StorageFactory;
let storage: Storage;
let memory: AgentMemory;

beforeEach(async () => {
  factory = levelFactory();
  storage = await factory.open();
  memory = await AgentMemory.open(storage, { namespace: 'agents', dimension: 3 });
});
afterEach(async () => {
  await memory.close();
  await storage.close();
  await factory.cleanup();
});

const lives = (object: string) => ({ subject: 'ada', predicate: 'lives_in', object });

async function seed(): Promise<void> {
  await memory.addEpisode({ thread: 't1', role: 'user', content: 'I live in Paris near the river', vector: [1, 0, 0], at: 1000, facts: [lives('paris')] });
  await memory.addEpisode({ thread: 't1', role: 'assistant', content: 'Noted, Paris it is', vector: [0.9, 0.1, 0], at: 1001 });
  await memory.addEpisode({ thread: 't1', role: 'user', content: 'I moved and now live in Berlin', vector: [0, 1, 0], at: 5000, facts: [lives('berlin')] });
  await memory.addEpisode({
    thread: 't2',
    role: 'user',
    content: 'I live in Rome',
    vector: [1, 0, 0],
    at: 6000,
    facts: [{ subject: 'bob', predicate: 'lives_in', object: 'rome' }],
  });
}

describe('recall', () => {
  it('searches one thread and returns the facts that hold now: a superseded fact is not current', async () => {
    await seed();
    const { episodes, facts } = await memory.recall({ thread: 't1', query: 'live', vector: [0.5, 0.5, 0], k: 5 });
    expect(episodes.map((e) => e.thread)).toEqual(['t1', 't1', 't1']);
    expect(episodes.map((e) => e.content)).toContain('I moved and now live in Berlin');
    expect(facts).toEqual([{ subject: 'ada', predicate: 'lives_in', object: 'berlin', validFrom: 5000, validUntil: null, properties: {} }]);
  });

  it('as of a time: only the episodes up to it, and the facts that held then', async () => {
    await seed();
    const { episodes, facts } = await memory.recall({ thread: 't1', query: 'live', vector: [0, 1, 0], asOf: 3000 });
    expect(episodes.map((e) => e.at).sort()).toEqual([1000, 1001]);
    expect(facts).toEqual([{ subject: 'ada', predicate: 'lives_in', object: 'paris', validFrom: 1000, validUntil: 5000, properties: {} }]);
    const earlier = await memory.recall({ thread: 't1', query: 'Paris', before: 1001 });
    expect(earlier.episodes.map((e) => e.at)).toEqual([1000]);
  });

  it('facts(entity, { asOf }) and facts about entities asked for', async () => {
    await seed();
    expect((await memory.facts('ada', { asOf: 2000 })).map((f) => f.object)).toEqual(['paris']);
    expect((await memory.facts('ada')).map((f) => f.object)).toEqual(['berlin']);
    const about = await memory.recall({ thread: 't1', query: 'river', about: ['bob'] });
    expect(about.facts.map((f) => `${f.subject} ${f.object}`)).toEqual(['ada berlin', 'bob rome']);
  });
});

describe('facts', () => {
  it('exclusive facts supersede, accumulating ones do not, a repeated one is kept once', async () => {
    await memory.addFact({ subject: 'ada', predicate: 'likes', object: 'tea', exclusive: false, at: 10 });
    await memory.addFact({ subject: 'ada', predicate: 'likes', object: 'chess', exclusive: false, at: 20 });
    await memory.addFact({ ...lives('oslo'), at: 10 });
    await memory.addFact({ ...lives('oslo'), at: 15 });
    await memory.addFact({ ...lives('lima'), at: 30 });
    expect((await memory.facts('ada', { asOf: 25 })).map((f) => `${f.predicate} ${f.object} ${f.validFrom}`)).toEqual([
      'likes chess 20',
      'likes tea 10',
      'lives_in oslo 10',
    ]);
    expect((await memory.facts('ada', { predicate: 'lives_in' })).map((f) => f.object)).toEqual(['lima']);
  });

  it('facts recorded without a time in the same millisecond keep their order', async () => {
    for (const city of ['a', 'b', 'c', 'd']) await memory.addFact(lives(city));
    expect((await memory.facts('ada', { asOf: Date.now() + 10 })).map((f) => f.object)).toEqual(['d']);
  });

  it('a fact dated before a later one is refused, and its episode is not written either', async () => {
    await memory.addFact({ ...lives('berlin'), at: 5000 });
    await expect(memory.addFact({ ...lives('paris'), at: 1000 })).rejects.toMatchObject({ name: 'ValidationError', field: 'at' });
    await expect(
      memory.addEpisode({ thread: 't', role: 'user', content: 'back then in Paris', vector: [1, 0, 0], at: 1000, facts: [lives('paris')] }),
    ).rejects.toThrow(ValidationError);
    expect((await memory.recall({ thread: 't', query: 'Paris' })).episodes).toEqual([]);
  });
});

describe('storage', () => {
  it('survives a reopen of the LevelDB folder, and namespaces never see each other', async () => {
    await seed();
    const other = await AgentMemory.open(storage, { namespace: 'others', dimension: 3 });
    await other.addEpisode({ thread: 't1', role: 'user', content: 'I live in Cairo', vector: [1, 0, 0], facts: [lives('cairo')] });
    expect((await other.recall({ thread: 't1', query: 'live' })).episodes.map((e) => e.content)).toEqual(['I live in Cairo']);
    expect((await other.facts('ada')).map((f) => f.object)).toEqual(['cairo']);
    await other.close();
    await memory.close();
    await storage.close();
    storage = await factory.open();
    memory = await AgentMemory.open(storage, { namespace: 'agents' });
    const { episodes, facts } = await memory.recall({ thread: 't1', query: 'Berlin' });
    expect(episodes[0]!.content).toBe('I moved and now live in Berlin');
    expect(facts.map((f) => f.object)).toEqual(['berlin']);
  });

  it('with an embed function, episodes and queries need no vector', async () => {
    const embed: EmbeddingFunction = (texts) => texts.map((t) => [t.includes('Berlin') ? 1 : 0.1, t.includes('Paris') ? 1 : 0.1, 0.1]);
    const embedded = await AgentMemory.open(storage, { namespace: 'agents', name: 'embedded', embed });
    await embedded.addEpisode({ thread: 'x', role: 'user', content: 'Paris in spring' });
    await embedded.addEpisode({ thread: 'x', role: 'user', content: 'Berlin in winter' });
    const { episodes } = await embedded.recall({ thread: 'x', query: 'Berlin', k: 1 });
    expect(episodes.map((e) => e.content)).toEqual(['Berlin in winter']);
    await embedded.close();
  });
});

describe('bad input is a ValidationError naming the field', () => {
  it.each([
    [{ thread: '', role: 'user', content: 'x', vector: [1, 0, 0] }, 'episode.thread'],
    [{ thread: 't', role: 'user', content: 'x' }, 'episode.vector'],
    [{ thread: 't', role: 'user', content: 'x', vector: [1, 0, 0], at: -5 }, 'episode.at'],
    [{ thread: 't', role: 'user', content: 'x', vector: [1, 0, 0], facts: [{ subject: 'a', predicate: '', object: 'b' }] }, 'episode.facts[0].predicate'],
  ])('addEpisode(%j)', async (episode, field) => {
    await expect(memory.addEpisode(episode as never)).rejects.toMatchObject({ name: 'ValidationError', field });
  });

  it('recall and facts', async () => {
    await expect(memory.recall({ thread: 't' })).rejects.toMatchObject({ field: 'query' });
    await expect(memory.recall({ thread: 't', query: 'x', asOf: new Date(Number.NaN) })).rejects.toMatchObject({ field: 'asOf' });
    await expect(memory.facts('')).rejects.toMatchObject({ field: 'entity' });
    await expect(memory.addEpisode({ thread: 't', role: 'user', content: 'x', vector: [1, 0] })).rejects.toMatchObject({ name: 'DimensionMismatchError' });
  });
});
